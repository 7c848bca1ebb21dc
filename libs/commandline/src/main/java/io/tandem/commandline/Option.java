package io.tandem.commandline;

/**
 * A named option: a flag ({@code --detailed}) when {@code valueName} is null, else an option with a value
 * ({@code --host H}, also written {@code --host=H}). An option with a value is given at most once, unless it is
 * {@code repeatable} ({@code --target A=/a --target B=/b}): then each value is kept, in order.
 */
public record Option(String name, String valueName, String help, boolean repeatable) {
    public static Option flag(String name, String help) {
        return new Option(name, null, help, false);
    }

    public static Option valued(String name, String valueName, String help) {
        return new Option(name, valueName, help, false);
    }

    public static Option repeatable(String name, String valueName, String help) {
        return new Option(name, valueName, help, true);
    }

    public boolean takesValue() {
        return valueName != null;
    }

    /** How the help shows it: {@code --host H} or {@code --detailed}. */
    public String label() {
        return takesValue() ? name + " " + valueName : name;
    }
}
