package io.myelin.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An immutable description of a spiking network: neuron populations, spike sources and projections, the
 * simulation time step and the seed for every random choice made when it is built. Build one with
 * {@link #builder()} or load one from JSON with {@link #fromJson(String)}; both validate.
 *
 * <pre>{@code
 * NetworkSpec spec = NetworkSpec.builder().dtMs(0.1).seed(7)
 *     .population("exc", 800, LifParameters.builder().tauMs(20).vThresholdMv(-50).build(),
 *                 Distribution.uniform(-60, -50))
 *     .poissonSource("input", 100, 20.0)
 *     .projection(ProjectionSpec.from("input").to("exc").fixedProbability(0.1).weight(1.5).delayMs(1.0))
 *     .build();
 * }</pre>
 *
 * @param dtMs        simulation time step (ms), &gt; 0
 * @param seed        seed of every random draw at build time (connectivity, weights, delays, initial V) and of
 *                    Poisson sources at run time
 * @param populations neuron populations (stateful)
 * @param sources     spike sources (stateless)
 * @param projections synapse groups
 */
public record NetworkSpec(double dtMs, long seed, List<PopulationSpec> populations, List<SourceSpec> sources,
                          List<ProjectionSpec> projections) {

    private static final ObjectReader READER = Json.reader().forType(NetworkSpec.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .without(DeserializationFeature.FAIL_ON_MISSING_EXTERNAL_TYPE_ID_PROPERTY);

    public NetworkSpec {
        populations = populations == null ? List.of() : List.copyOf(populations);
        sources = sources == null ? List.of() : List.copyOf(sources);
        projections = projections == null ? List.of() : List.copyOf(projections);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks every field and cross-reference; throws {@link InvalidInputException} naming the first problem
     * (unknown population, negative tau, delay shorter than dt, NaN weight, ...).
     */
    public NetworkSpec validate() {
        SpecChecks.positive("dtMs", dtMs);
        if (populations.isEmpty()) {
            throw new InvalidInputException("the network has no neuron populations");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < populations.size(); i++) {
            PopulationSpec p = populations.get(i);
            if (p == null) {
                throw new InvalidInputException("populations[" + i + "] is null");
            }
            p.validate("populations[" + i + "]");
            if (!names.add(p.name())) {
                throw new InvalidInputException("populations[" + i + "]: duplicate name '" + p.name() + "'");
            }
        }
        for (int i = 0; i < sources.size(); i++) {
            SourceSpec s = sources.get(i);
            if (s == null) {
                throw new InvalidInputException("sources[" + i + "] is null");
            }
            s.validate("sources[" + i + "]");
            if (!names.add(s.name())) {
                throw new InvalidInputException("sources[" + i + "]: name '" + s.name() + "' is already used");
            }
        }
        Set<String> projectionNames = new HashSet<>();
        for (int i = 0; i < projections.size(); i++) {
            ProjectionSpec pr = projections.get(i);
            if (pr == null) {
                throw new InvalidInputException("projections[" + i + "] is null");
            }
            String where = "projections[" + i + "]";
            pr.validateShape(where);
            if (!projectionNames.add(pr.name())) {
                throw new InvalidInputException(where + ": duplicate projection name '" + pr.name() + "'");
            }
            int preSize = sizeOf(pr.pre(), where + ".pre");
            if (sourceNamed(pr.post()) != null) {
                throw new InvalidInputException(where + ".post: '" + pr.post() + "' is a spike source; sources cannot receive synapses");
            }
            PopulationSpec post = population(pr.post());
            if (post == null) {
                throw new InvalidInputException(where + ".post: unknown population '" + pr.post() + "' (known: " + populationNames() + ")");
            }
            pr.connectivity().validate(where + " '" + pr.name() + "'", preSize, post.size(), pr.pre().equals(pr.post()));
            checkDelays(where + " '" + pr.name() + "'", pr);
        }
        return this;
    }

    private void checkDelays(String where, ProjectionSpec pr) {
        // Half a step of tolerance: a delay of exactly dt written as 0.1 must not fail on 0.09999999.
        double minDelay = dtMs * (1 - 1e-6);
        if (pr.connectivity() instanceof Connectivity.Explicit e && e.delaysMs() != null) {
            float[] d = e.delaysMs();
            for (int s = 0; s < d.length; s++) {
                if (d[s] < minDelay) {
                    throw new InvalidInputException(where + ".connectivity.delaysMs[" + s + "] = " + d[s]
                            + " ms is shorter than the time step dt = " + dtMs + " ms");
                }
            }
            return;
        }
        if (pr.delayMs().lowerBound() < minDelay) {
            throw new InvalidInputException(where + ".delayMs can be " + pr.delayMs().lowerBound()
                    + " ms, shorter than the time step dt = " + dtMs + " ms (delays must be >= dt; a normal "
                    + "distribution is unbounded, use uniform)");
        }
    }

    private int sizeOf(String name, String where) {
        PopulationSpec p = population(name);
        if (p != null) {
            return p.size();
        }
        SourceSpec s = sourceNamed(name);
        if (s != null) {
            return s.size();
        }
        throw new InvalidInputException(where + ": unknown population '" + name + "' (known: " + populationNames()
                + (sources.isEmpty() ? "" : ", sources " + sources.stream().map(SourceSpec::name).toList()) + ")");
    }

    private List<String> populationNames() {
        return populations.stream().map(PopulationSpec::name).toList();
    }

    /** The neuron population with this name, or null. */
    public PopulationSpec population(String name) {
        for (PopulationSpec p : populations) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** The spike source with this name, or null. */
    public SourceSpec sourceNamed(String name) {
        for (SourceSpec s : sources) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** A copy with one source replaced by another of the same name (e.g. the next dataset sample). */
    public NetworkSpec withSource(SourceSpec replacement) {
        List<SourceSpec> list = new ArrayList<>(sources);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).name().equals(replacement.name())) {
                list.set(i, replacement);
                return new NetworkSpec(dtMs, seed, populations, list, projections).validate();
            }
        }
        throw new InvalidInputException("no source named '" + replacement.name() + "' to replace");
    }

    /** A copy with another seed. */
    public NetworkSpec withSeed(long newSeed) {
        return new NetworkSpec(dtMs, newSeed, populations, sources, projections);
    }

    /** Pretty-printed JSON; {@link #fromJson(String)} reads it back to an equal spec. */
    public String toJson() {
        try {
            return Json.indented().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise network spec", e);
        }
    }

    /** Parses and validates a spec; malformed JSON gives a message naming the field path. */
    public static NetworkSpec fromJson(String json) {
        try {
            NetworkSpec spec = READER.readValue(json);
            if (spec == null) {
                throw new InvalidInputException("network spec JSON is empty");
            }
            return spec.validate();
        } catch (JsonMappingException e) {
            String msg = e.getOriginalMessage();
            if (msg != null && msg.startsWith("Cannot map `null` into type")) {
                msg = "the field is missing or null, and a number is required";
            }
            throw new InvalidInputException("invalid network spec at " + jsonPath(e) + ": " + msg, e);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("malformed network spec JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage(), e);
        }
    }

    /** Reads and validates a spec file. */
    public static NetworkSpec read(Path file) {
        try {
            return fromJson(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("network spec file not found: " + file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read network spec " + file + ": " + e.getMessage(), e);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the spec as JSON. */
    public void write(Path file) throws IOException {
        Files.writeString(file, toJson());
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder("$");
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** Fluent builder; {@link #build()} validates. */
    public static final class Builder {
        private double dtMs = 0.1;
        private long seed = 1;
        private final List<PopulationSpec> populations = new ArrayList<>();
        private final List<SourceSpec> sources = new ArrayList<>();
        private final List<ProjectionSpec> projections = new ArrayList<>();

        /** Time step (ms); also the default synaptic delay. Default 0.1 ms. */
        public Builder dtMs(double dt) { this.dtMs = dt; return this; }

        public Builder seed(long s) { this.seed = s; return this; }

        /** Adds a population with every neuron starting at the model's rest (or 0 for the discrete model). */
        public Builder population(String name, int size, NeuronModel model) {
            double v0 = model instanceof LifParameters l ? l.vRestMv() : 0.0;
            return population(name, size, model, Distribution.constant(v0));
        }

        public Builder population(String name, int size, NeuronModel model, Distribution initialV) {
            return population(new PopulationSpec(name, size, model, initialV, null));
        }

        public Builder population(PopulationSpec p) { populations.add(p); return this; }

        /** Adds {@code size} independent Poisson generators at {@code rateHz}. */
        public Builder poissonSource(String name, int size, double rateHz) {
            sources.add(new SourceSpec.Poisson(name, size, rateHz));
            return this;
        }

        /** Adds explicit spikes: neuron {@code neurons[k]} fires at {@code timesMs[k]}. */
        public Builder spikeTimesSource(String name, int size, int[] neurons, double[] timesMs) {
            sources.add(new SourceSpec.SpikeTimes(name, size, neurons, timesMs));
            return this;
        }

        public Builder source(SourceSpec s) { sources.add(s); return this; }

        /** Adds a projection; an unset delay defaults to one time step. */
        public Builder projection(ProjectionSpec.Builder b) {
            projections.add(b.build(dtMs));
            return this;
        }

        public Builder projection(ProjectionSpec p) { projections.add(p); return this; }

        /** Applies a block of builder calls, handy for reusable network fragments. */
        public Builder with(Consumer<Builder> fragment) { fragment.accept(this); return this; }

        public NetworkSpec build() {
            return new NetworkSpec(dtMs, seed, populations, sources, projections).validate();
        }
    }
}
