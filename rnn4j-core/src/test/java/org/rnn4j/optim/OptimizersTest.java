package org.rnn4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rnn4j.nn.Parameter;

/** The factory: names, defaults taken from each optimizer's constants, and settings it rejects. */
class OptimizersTest {
    private static final List<Parameter> PARAMS = TestParameters.parameters(3);

    @Test
    void everyNameBuildsItsOptimizer() {
        OptimizerSettings d = OptimizerSettings.DEFAULTS;
        assertInstanceOf(Sgd.class, Optimizers.create("sgd", PARAMS, d));
        assertInstanceOf(Sgd.class, Optimizers.create("momentum", PARAMS, d));
        assertInstanceOf(Sgd.class, Optimizers.create("nesterov", PARAMS, d));
        assertInstanceOf(Adagrad.class, Optimizers.create("adagrad", PARAMS, d));
        assertInstanceOf(RmsProp.class, Optimizers.create("rmsprop", PARAMS, d));
        assertInstanceOf(Adam.class, Optimizers.create("adam", PARAMS, d));
        assertInstanceOf(AdamW.class, Optimizers.create("AdamW", PARAMS, d));
        for (String n : Optimizers.NAMES) {
            Optimizer o = Optimizers.create(n, PARAMS, d);
            assertEquals(n, o.name());
            assertEquals(PARAMS, o.parameters());
            assertEquals(0, o.stepCount());
        }
    }

    @Test
    void defaultsArePyTorchs() {
        assertEquals(new Sgd.Config(0.1, 0, 0, false), sgd("sgd"));
        assertEquals(new Sgd.Config(0.1, 0.9, 0, false), sgd("momentum"));
        assertEquals(new Sgd.Config(0.1, 0.9, 0, true), sgd("nesterov"));
        assertEquals(new Adagrad.Config(1e-2, 0, 0, 0, 1e-10),
                ((Adagrad) Optimizers.create("adagrad", PARAMS, OptimizerSettings.DEFAULTS)).config());
        assertEquals(new RmsProp.Config(1e-2, 0.99, 1e-8, 0, 0, false),
                ((RmsProp) Optimizers.create("rmsprop", PARAMS, OptimizerSettings.DEFAULTS)).config());
        assertEquals(new Adam.Config(1e-3, 0.9, 0.999, 1e-8, 0, false),
                ((Adam) Optimizers.create("adam", PARAMS, OptimizerSettings.DEFAULTS)).config());
        assertEquals(new AdamW.Config(1e-3, 0.9, 0.999, 1e-8, 1e-2, false),
                ((AdamW) Optimizers.create("adamw", PARAMS, OptimizerSettings.DEFAULTS)).config());
        assertEquals(Adam.Config.DEFAULTS, Adam.Config.builder().build());
        assertEquals(0.001f, Optimizers.create("adam", PARAMS, OptimizerSettings.DEFAULTS).learningRate());
    }

    private static Sgd.Config sgd(String name) {
        return ((Sgd) Optimizers.create(name, PARAMS, OptimizerSettings.DEFAULTS)).config();
    }

    @Test
    void givenSettingsOverrideTheDefaults() {
        OptimizerSettings s = OptimizerSettings.builder().learningRate(0.002).beta2(0.98).amsgrad(true).build();
        assertEquals(Set.of("lr", "beta2", "amsgrad"), s.given());
        assertEquals(new AdamW.Config(0.002, 0.9, 0.98, 1e-8, 1e-2, true),
                ((AdamW) Optimizers.create("adamw", PARAMS, s)).config());
        OptimizerSettings r = OptimizerSettings.builder().momentum(0.5).centered(true).alpha(0.9).build();
        assertEquals(new RmsProp.Config(1e-2, 0.9, 1e-8, 0, 0.5, true),
                ((RmsProp) Optimizers.create("rmsprop", PARAMS, r)).config());
        // sgd with a momentum is momentum SGD
        assertEquals("momentum", Optimizers.create("sgd", PARAMS, OptimizerSettings.builder().momentum(0.5).build()).name());
    }

    @Test
    void resolveFillsInWhatTheOptimizerUses() {
        OptimizerSettings adam = Optimizers.resolve("adam", OptimizerSettings.builder().learningRate(0.01).build());
        assertEquals(Set.of("lr", "weight_decay", "beta1", "beta2", "eps"), adam.given());
        assertEquals(0.01, adam.learningRate().getAsDouble());
        assertEquals(0.999, adam.beta2().getAsDouble());
        OptimizerSettings adagrad = Optimizers.resolve("adagrad", OptimizerSettings.DEFAULTS);
        assertEquals(1e-10, adagrad.eps().getAsDouble());
        assertEquals(Set.of("lr", "weight_decay", "lr_decay", "initial_accumulator_value", "eps"), adagrad.given());
        assertEquals(0.9, Optimizers.resolve("nesterov", OptimizerSettings.DEFAULTS).momentum().getAsDouble());
    }

    @Test
    void settingsTheOptimizerDoesNotUseAreErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create("adam", PARAMS, OptimizerSettings.builder().momentum(0.9).alpha(0.9).build()));
        assertEquals("adam does not use momentum, alpha; its settings are amsgrad, beta1, beta2, eps, lr, weight_decay",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create("sgd", PARAMS, OptimizerSettings.builder().amsgrad(true).build()));
        assertTrue(e.getMessage().startsWith("sgd does not use amsgrad"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create("rmsprop", PARAMS, OptimizerSettings.builder().beta1(0.5).build()));
        assertTrue(e.getMessage().startsWith("rmsprop does not use beta1"), e.getMessage());
    }

    @Test
    void badNamesAndValuesSayWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create("lbfgs", PARAMS, OptimizerSettings.DEFAULTS));
        assertEquals("unknown optimizer 'lbfgs'; choose one of sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.create("nesterov", PARAMS, OptimizerSettings.builder().momentum(0).build()));
        assertTrue(e.getMessage().contains("nesterov needs a momentum above 0 (default 0.9)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OptimizerSettings.builder().learningRate(-1).build());
        assertTrue(e.getMessage().contains("learning rate must be positive and finite, got -1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OptimizerSettings.builder().beta1(1).build());
        assertThrows(IllegalArgumentException.class, () -> OptimizerSettings.builder().eps(Double.POSITIVE_INFINITY).build());
    }
}
