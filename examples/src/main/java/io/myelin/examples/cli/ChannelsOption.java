package io.myelin.examples.cli;

import picocli.CommandLine.Option;

/** {@code --channels}: how many input channels an SHD-format file's unit ids range over. */
final class ChannelsOption {
    @Option(names = "--channels", defaultValue = "700", description = "input channel count (default: ${DEFAULT-VALUE})")
    int channels;
}
