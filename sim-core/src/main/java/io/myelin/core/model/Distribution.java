package io.myelin.core.model;

import cern.jet.random.engine.RandomEngine;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.myelin.core.InvalidInputException;

/**
 * A value drawn per synapse or per neuron at build time: a weight, a delay, an initial membrane potential.
 * Units are those of the field it sets (mV for weights and potentials, ms for delays).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Distribution.Constant.class, name = "constant"),
        @JsonSubTypes.Type(value = Distribution.Uniform.class, name = "uniform"),
        @JsonSubTypes.Type(value = Distribution.Normal.class, name = "normal")
})
public sealed interface Distribution permits Distribution.Constant, Distribution.Uniform, Distribution.Normal {

    /** Draws one value; a constant draws nothing from the generator, so it never shifts other random streams. */
    double sample(RandomEngine rng);

    /** Smallest value this distribution can produce (-infinity for a normal). */
    double lowerBound();

    /** Largest value this distribution can produce (+infinity for a normal). */
    double upperBound();

    void validate(String field);

    static Distribution constant(double value) {
        return new Constant(value);
    }

    static Distribution uniform(double low, double high) {
        return new Uniform(low, high);
    }

    static Distribution normal(double mean, double sd) {
        return new Normal(mean, sd);
    }

    /** Always {@code value}. */
    record Constant(double value) implements Distribution {
        @Override
        public double sample(RandomEngine rng) {
            return value;
        }

        @Override
        public double lowerBound() {
            return value;
        }

        @Override
        public double upperBound() {
            return value;
        }

        @Override
        public void validate(String field) {
            SpecChecks.finite(field + ".value", value);
        }
    }

    /** Uniform on [low, high). */
    record Uniform(double low, double high) implements Distribution {
        @Override
        public double sample(RandomEngine rng) {
            return low + (high - low) * rng.raw();
        }

        @Override
        public double lowerBound() {
            return low;
        }

        @Override
        public double upperBound() {
            return high;
        }

        @Override
        public void validate(String field) {
            SpecChecks.finite(field + ".low", low);
            SpecChecks.finite(field + ".high", high);
            if (high < low) {
                throw new InvalidInputException(field + ": high (" + high + ") must be >= low (" + low + ")");
            }
        }
    }

    /** Normal with mean and standard deviation, sampled by Box-Muller from the seeded generator. */
    record Normal(double mean, double sd) implements Distribution {
        @Override
        public double sample(RandomEngine rng) {
            double u1 = rng.raw();
            double u2 = rng.raw();
            return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }

        @Override
        public double lowerBound() {
            return sd == 0 ? mean : Double.NEGATIVE_INFINITY;
        }

        @Override
        public double upperBound() {
            return sd == 0 ? mean : Double.POSITIVE_INFINITY;
        }

        @Override
        public void validate(String field) {
            SpecChecks.finite(field + ".mean", mean);
            SpecChecks.nonNegative(field + ".sd", sd);
        }
    }
}
