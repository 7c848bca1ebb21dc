package io.tandem.manage.cli;

/**
 * A named option: a flag ({@code --dry-run}) when {@code valueName} is null, else an option with a value
 * ({@code --cluster NAME}, also written {@code --cluster=NAME}).
 */
public record Option(String name, String valueName, String help) {
    public static Option flag(String name, String help) {
        return new Option(name, null, help);
    }

    public static Option valued(String name, String valueName, String help) {
        return new Option(name, valueName, help);
    }

    public boolean takesValue() {
        return valueName != null;
    }

    /** How the help shows it: {@code --cluster NAME} or {@code --dry-run}. */
    public String label() {
        return takesValue() ? name + " " + valueName : name;
    }
}
