package io.tandem.cli;

/**
 * A named option: a flag ({@code --detailed}) when {@code valueName} is null, else an option with a value
 * ({@code --host H}, also written {@code --host=H}). An option with a value is given at most once, unless it is
 * {@code repeatable} ({@code --target A=/a --target B=/b}): then each value is kept, in order.
 */
record Option(String name, String valueName, String help, boolean repeatable) {
    static Option flag(String name, String help) {
        return new Option(name, null, help, false);
    }

    static Option valued(String name, String valueName, String help) {
        return new Option(name, valueName, help, false);
    }

    static Option repeatable(String name, String valueName, String help) {
        return new Option(name, valueName, help, true);
    }

    boolean takesValue() {
        return valueName != null;
    }

    /** How the help shows it: {@code --host H} or {@code --detailed}. */
    String label() {
        return takesValue() ? name + " " + valueName : name;
    }
}
