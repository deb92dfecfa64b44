package org.rnn4j.cli;

import java.io.PrintWriter;
import org.rnn4j.matrix.Kernels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code rnn4j} command: exit 0 on success, 1 on a failure (bad file, diverged training), 2 on a usage error. */
@Command(name = "rnn4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Recurrent neural networks on the JVM: train, sample, evaluate and diagnose RNN, LSTM and GRU "
                + "language models, and classifiers, taggers, encoder-decoders and forecasters.",
        subcommands = {TrainCommand.class, SampleCommand.class, EvalCommand.class, DiagnoseCommand.class,
                PredictCommand.class, GenerateCommand.class, ExperimentCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of failures.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required: train, sample, eval, predict, generate, diagnose, experiment or bench");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it with their own writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::handleFailure);
        cl.setParameterExceptionHandler(Main::handleUsageError);
        // picocli hands only Exceptions to the handler above; an OutOfMemoryError gets the same one-line treatment.
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(parsed -> {
            KernelThreads.Restore threads = ThreadsOption.applyTo(parsed); // before the command touches the kernels
            try {
                return run.execute(parsed);
            } catch (OutOfMemoryError e) {
                PrintWriter err = cl.getErr();
                err.println("rnn4j: " + Failures.describe(e));
                err.flush();
                return EXIT_FAILURE;
            } finally {
                threads.close();
            }
        });
        return cl;
    }

    /** A usage error: the problem, the command's one-line synopsis, and where to read more. Exit 2. */
    private static int handleUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("rnn4j: " + e.getMessage());
        if (cl.getSubcommands().isEmpty()) {
            CommandLine.Help help = cl.getHelp();
            err.print(help.synopsisHeading());
            err.print(help.synopsis(help.synopsisHeadingLength()));
        } else {
            cl.usage(err); // the top level: list the commands
        }
        err.printf("Try '%s --help' for more information.%n", cl.getCommandSpec().qualifiedName());
        err.flush();
        return EXIT_USAGE;
    }

    private static int handleFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        Main root = cl.getCommandSpec().root().userObject() instanceof Main m ? m : null;
        err.println("rnn4j: " + Failures.describe(e));
        if (root != null && root.verbose) {
            e.printStackTrace(err);
        } else if (!(e instanceof UsageFailure)) {
            err.println("(run with --verbose for details)");
        }
        err.flush();
        return e instanceof UsageFailure ? EXIT_USAGE : EXIT_FAILURE;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rnn4j " + org.rnn4j.io.ModelFile.libraryVersion(),
                    "matrix kernels: " + Kernels.backend().name(),
                    "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")};
        }
    }
}
