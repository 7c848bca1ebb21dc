package io.tandem.cli;

/**
 * A named option: a flag ({@code --detailed}) when {@code valueName} is null, else an option with a value
 * ({@code --host H}, also written {@code --host=H}).
 */
record Option(String name, String valueName, String help) {
    static Option flag(String name, String help) {
        return new Option(name, null, help);
    }

    static Option valued(String name, String valueName, String help) {
        return new Option(name, valueName, help);
    }

    boolean takesValue() {
        return valueName != null;
    }

    /** How the help shows it: {@code --host H} or {@code --detailed}. */
    String label() {
        return takesValue() ? name + " " + valueName : name;
    }
}
