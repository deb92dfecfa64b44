package org.rnn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --threads N} of the commands that compute: the threads of the matrix kernels, which also share out
 * a training batch's sequences (data-parallel training). {@link Main} applies it after parsing and before
 * the command runs, so it holds for everything the command does, and undoes it afterwards for callers in
 * the same JVM. {@code bench} has its own {@code --threads}, which takes a list.
 */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", order = 1000, description = "Threads of the matrix kernels and of "
            + "data-parallel training (default: the rnn4j.threads system property, else every processor). "
            + "Results depend on it through float rounding and the draws of dropout masks.")
    Integer threads;

    /** Sets the thread count when given; returns what undoes it. */
    KernelThreads.Restore apply(CommandLine cl) {
        if (threads == null) {
            return () -> { };
        }
        if (threads < 1) {
            throw new CommandLine.ParameterException(cl, "--threads must be at least 1, got " + threads);
        }
        return KernelThreads.set(threads);
    }

    /** The --threads of the command that {@code parsed} runs (its last subcommand), applied; or nothing to undo. */
    static KernelThreads.Restore applyTo(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        for (CommandLine.Model.CommandSpec mixin : leaf.commandSpec().mixins().values()) {
            if (mixin.userObject() instanceof ThreadsOption option) {
                return option.apply(leaf.commandSpec().commandLine());
            }
        }
        return () -> { };
    }
}
