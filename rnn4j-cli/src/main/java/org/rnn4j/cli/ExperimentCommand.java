package org.rnn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The experiments of the vanishing/exploding gradient laboratory; one subcommand each. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Reproducible experiments on why plain RNNs cannot learn long dependencies.",
                "  vanishing   which cells learn a long-time-lag task as the lag grows (table, plots, HTML report)",
                "  exploding   the seeds' worked example: a recurrent weight of 2 over 10 steps multiplies the "
                        + "gradient by 1024; loss curves with and without clipping"},
        subcommands = {VanishingCommand.class, ExplodingCommand.class, CommandLine.HelpCommand.class})
final class ExperimentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an experiment: vanishing or exploding");
    }
}
