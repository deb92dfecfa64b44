package org.rnn4j.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.rnn4j.nn.Parameter;

/**
 * Builds an optimizer by name, for the command line:
 * <table>
 *   <caption>names</caption>
 *   <tr><th>name</th><th>optimizer</th><th>settings it uses</th></tr>
 *   <tr><td>sgd</td><td>{@link Sgd}</td><td>lr, weight_decay, momentum (default 0)</td></tr>
 *   <tr><td>momentum</td><td>{@link Sgd} with momentum</td><td>lr, weight_decay, momentum (default
 *       {@link #DEFAULT_MOMENTUM})</td></tr>
 *   <tr><td>nesterov</td><td>{@link Sgd} with Nesterov momentum</td><td>as momentum</td></tr>
 *   <tr><td>adagrad</td><td>{@link Adagrad}</td><td>lr, weight_decay, lr_decay, initial_accumulator_value,
 *       eps</td></tr>
 *   <tr><td>rmsprop</td><td>{@link RmsProp}</td><td>lr, weight_decay, momentum, alpha, eps, centered</td></tr>
 *   <tr><td>adam</td><td>{@link Adam}</td><td>lr, weight_decay, beta1, beta2, eps, amsgrad</td></tr>
 *   <tr><td>adamw</td><td>{@link AdamW}</td><td>as adam</td></tr>
 * </table>
 * Settings left empty take the optimizer's default constants; a setting the optimizer does not use is an
 * error.
 */
public final class Optimizers {
    public static final List<String> NAMES = List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw");

    /**
     * The momentum of {@code momentum} and {@code nesterov} when none is given: PyTorch has no default
     * (its SGD's momentum defaults to 0, i.e. off), and 0.9 is the customary value.
     */
    public static final double DEFAULT_MOMENTUM = 0.9;

    private static final Set<String> SGD_SETTINGS = Set.of("lr", "weight_decay", "momentum");
    private static final Map<String, Set<String>> USES = Map.of(
            "sgd", SGD_SETTINGS,
            "momentum", SGD_SETTINGS,
            "nesterov", SGD_SETTINGS,
            "adagrad", Set.of("lr", "weight_decay", "lr_decay", "initial_accumulator_value", "eps"),
            "rmsprop", Set.of("lr", "weight_decay", "momentum", "alpha", "eps", "centered"),
            "adam", Set.of("lr", "weight_decay", "beta1", "beta2", "eps", "amsgrad"),
            "adamw", Set.of("lr", "weight_decay", "beta1", "beta2", "eps", "amsgrad"));

    private Optimizers() {
    }

    /**
     * The optimizer {@code name} (one of {@link #NAMES}, any case) over these parameters.
     *
     * @throws IllegalArgumentException for an unknown name, a setting the optimizer does not use, or an
     *                                  invalid combination (momentum 0 for {@code momentum}/{@code nesterov})
     */
    public static Optimizer create(String name, List<Parameter> parameters, OptimizerSettings settings) {
        String n = checkedName(name, settings);
        return switch (n) {
            case "sgd", "momentum", "nesterov" -> new Sgd(parameters, sgd(n, settings));
            case "adagrad" -> new Adagrad(parameters, adagrad(settings));
            case "rmsprop" -> new RmsProp(parameters, rmsprop(settings));
            case "adam" -> new Adam(parameters, adam(settings));
            case "adamw" -> new AdamW(parameters, adamw(settings));
            default -> throw new AssertionError(n);
        };
    }

    /**
     * The settings with every value that optimizer {@code name} uses filled in (defaults where empty),
     * for showing or recording the configuration actually used.
     */
    public static OptimizerSettings resolve(String name, OptimizerSettings settings) {
        String n = checkedName(name, settings);
        OptimizerSettings.Builder b = OptimizerSettings.builder();
        switch (n) {
            case "sgd", "momentum", "nesterov" -> {
                Sgd.Config c = sgd(n, settings);
                b.learningRate(c.learningRate()).weightDecay(c.weightDecay()).momentum(c.momentum());
            }
            case "adagrad" -> {
                Adagrad.Config c = adagrad(settings);
                b.learningRate(c.learningRate()).weightDecay(c.weightDecay()).lrDecay(c.lrDecay())
                        .initialAccumulatorValue(c.initialAccumulatorValue()).eps(c.eps());
            }
            case "rmsprop" -> {
                RmsProp.Config c = rmsprop(settings);
                b.learningRate(c.learningRate()).weightDecay(c.weightDecay()).momentum(c.momentum()).alpha(c.alpha())
                        .eps(c.eps()).centered(c.centered());
            }
            case "adam" -> {
                Adam.Config c = adam(settings);
                b.learningRate(c.learningRate()).weightDecay(c.weightDecay()).beta1(c.beta1()).beta2(c.beta2())
                        .eps(c.eps()).amsgrad(c.amsgrad());
            }
            case "adamw" -> {
                AdamW.Config c = adamw(settings);
                b.learningRate(c.learningRate()).weightDecay(c.weightDecay()).beta1(c.beta1()).beta2(c.beta2())
                        .eps(c.eps()).amsgrad(c.amsgrad());
            }
            default -> throw new AssertionError(n);
        }
        return b.build();
    }

    private static String checkedName(String name, OptimizerSettings settings) {
        String n = name.toLowerCase(Locale.ROOT);
        Set<String> uses = USES.get(n);
        if (uses == null) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; choose one of " + String.join(", ", NAMES));
        }
        List<String> unused = new ArrayList<>();
        for (String g : settings.given()) {
            if (!uses.contains(g)) {
                unused.add(g);
            }
        }
        if (!unused.isEmpty()) {
            List<String> used = new ArrayList<>(uses);
            used.sort(null);
            throw new IllegalArgumentException(n + " does not use " + String.join(", ", unused)
                    + "; its settings are " + String.join(", ", used));
        }
        return n;
    }

    private static Sgd.Config sgd(String name, OptimizerSettings s) {
        boolean plain = name.equals("sgd");
        double momentum = s.momentum().orElse(plain ? Sgd.DEFAULT_MOMENTUM : DEFAULT_MOMENTUM);
        if (!plain && !(momentum > 0)) {
            throw new IllegalArgumentException(name + " needs a momentum above 0 (default " + DEFAULT_MOMENTUM
                    + "), got " + momentum + "; use sgd for plain SGD");
        }
        return Sgd.Config.builder()
                .learningRate(s.learningRate().orElse(Sgd.DEFAULT_LEARNING_RATE))
                .weightDecay(s.weightDecay().orElse(Sgd.DEFAULT_WEIGHT_DECAY))
                .momentum(momentum)
                .nesterov(name.equals("nesterov"))
                .build();
    }

    private static Adagrad.Config adagrad(OptimizerSettings s) {
        return Adagrad.Config.builder()
                .learningRate(s.learningRate().orElse(Adagrad.DEFAULT_LEARNING_RATE))
                .weightDecay(s.weightDecay().orElse(Adagrad.DEFAULT_WEIGHT_DECAY))
                .lrDecay(s.lrDecay().orElse(Adagrad.DEFAULT_LR_DECAY))
                .initialAccumulatorValue(s.initialAccumulatorValue().orElse(Adagrad.DEFAULT_INITIAL_ACCUMULATOR_VALUE))
                .eps(s.eps().orElse(Adagrad.DEFAULT_EPS))
                .build();
    }

    private static RmsProp.Config rmsprop(OptimizerSettings s) {
        return RmsProp.Config.builder()
                .learningRate(s.learningRate().orElse(RmsProp.DEFAULT_LEARNING_RATE))
                .weightDecay(s.weightDecay().orElse(RmsProp.DEFAULT_WEIGHT_DECAY))
                .momentum(s.momentum().orElse(RmsProp.DEFAULT_MOMENTUM))
                .alpha(s.alpha().orElse(RmsProp.DEFAULT_ALPHA))
                .eps(s.eps().orElse(RmsProp.DEFAULT_EPS))
                .centered(s.centered())
                .build();
    }

    private static Adam.Config adam(OptimizerSettings s) {
        return Adam.Config.builder()
                .learningRate(s.learningRate().orElse(Adam.DEFAULT_LEARNING_RATE))
                .weightDecay(s.weightDecay().orElse(Adam.DEFAULT_WEIGHT_DECAY))
                .betas(s.beta1().orElse(Adam.DEFAULT_BETA1), s.beta2().orElse(Adam.DEFAULT_BETA2))
                .eps(s.eps().orElse(Adam.DEFAULT_EPS))
                .amsgrad(s.amsgrad())
                .build();
    }

    private static AdamW.Config adamw(OptimizerSettings s) {
        return AdamW.Config.builder()
                .learningRate(s.learningRate().orElse(Adam.DEFAULT_LEARNING_RATE))
                .weightDecay(s.weightDecay().orElse(AdamW.DEFAULT_WEIGHT_DECAY))
                .betas(s.beta1().orElse(Adam.DEFAULT_BETA1), s.beta2().orElse(Adam.DEFAULT_BETA2))
                .eps(s.eps().orElse(Adam.DEFAULT_EPS))
                .amsgrad(s.amsgrad())
                .build();
    }
}
