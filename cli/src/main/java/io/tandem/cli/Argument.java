package io.tandem.cli;

/** A positional argument of a command; every declared argument is required. */
record Argument(String name, String help) {}
