package org.countersignal.cli.hma;

import picocli.CommandLine.Command;

/** {@code countersignal hma ...}: moving from Meta's Hasher-Matcher-Actioner. */
@Command(
    name = "hma",
    mixinStandardHelpOptions = true,
    description = {
        "Moving from Meta's Hasher-Matcher-Actioner (HMA). The server also answers HMA's own routes (/h, /m, /c, /status),"
            + " so HMA's clients keep working while they move to this API: see docs/FROM-HMA.md."
    },
    subcommands = {HmaImportCommand.class})
public final class HmaCommand {}
