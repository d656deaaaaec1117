package io.myelin.examples.cli;

import picocli.CommandLine.Option;

/** {@code --json}: the command's result as one JSON line (docs name the keys) instead of text. */
final class JsonOption {
    @Option(names = "--json", description = "print the result as one JSON line instead of text")
    boolean json;
}
