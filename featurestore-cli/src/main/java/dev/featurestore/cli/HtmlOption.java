package dev.featurestore.cli;

import picocli.CommandLine.Option;

/** {@code --html} / {@code --no-html}: whether a quality run also writes its report as an HTML page. */
final class HtmlOption {
    @Option(names = "--html", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also write the report as a self-contained HTML page with charts, <set>_<tf>_<run>.html "
                    + "beside the JSON, and print its path (default: on; --no-html to skip).")
    boolean html = true;
}
