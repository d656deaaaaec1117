package io.myelin.core.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Dynamic Confidence evaluation of one model on one test file, written as {@code early-exit.json} (schema
 * {@value #SCHEMA}; docs/dynamic-confidence.md) and rendered by sim-report's {@code EarlyExitPage}. The figures at the
 * top are those of the model's own inference path; {@link #paths} repeats them for every path that ran (the model,
 * an engine, the integer path) with their agreement with the model.
 *
 * @param threshold            the threshold used (given, or chosen by {@link #calibration})
 * @param thresholdSource      "given" or "calibrated"
 * @param accuracy             test accuracy with early exit
 * @param fullAccuracy         test accuracy of the same decoding at full length
 * @param meanExitStep         mean exit step (steps per sample)
 * @param meanFullSteps        mean full length
 * @param stepFraction         meanExitStep / meanFullSteps
 * @param oracleAccuracy       the earliest-correct oracle's accuracy ({@link Oracle})
 * @param oracleStepFraction   its step fraction
 * @param energyPerSampleUj    energy per sample up to each exit (µJ), or null when not counted
 * @param fullEnergyPerSampleUj energy per sample at full length (µJ)
 * @param annEnergyPerSampleUj the equivalent dense ANN's energy per sample (µJ), or null
 * @param engine               the engine that also ran, or null
 * @param engineAgreement      share of test samples with the engine's exit step and prediction equal to the model's
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema", "model", "test_data", "valid_data", "policy", "threshold", "threshold_source",
        "temperature", "decoding", "tolerance", "samples", "accuracy", "full_accuracy", "model_accuracy",
        "mean_exit_step", "mean_full_steps", "step_fraction", "oracle_accuracy", "oracle_step_fraction",
        "stable_oracle_accuracy", "stable_oracle_step_fraction", "energy_per_sample_uj", "full_energy_per_sample_uj",
        "ann_energy_per_sample_uj", "energy_saving", "engine", "engine_agreement", "paths", "energy_layers",
        "calibration", "curves", "histogram"})
public record EarlyExitReport(@JsonProperty("schema") String schema,
                              @JsonProperty("model") String model,
                              @JsonProperty("test_data") String testData,
                              @JsonProperty("valid_data") String validData,
                              @JsonProperty("policy") String policy,
                              @JsonProperty("threshold") double threshold,
                              @JsonProperty("threshold_source") String thresholdSource,
                              @JsonProperty("temperature") double temperature,
                              @JsonProperty("decoding") String decoding,
                              @JsonProperty("tolerance") Double tolerance,
                              @JsonProperty("samples") int samples,
                              @JsonProperty("accuracy") double accuracy,
                              @JsonProperty("full_accuracy") double fullAccuracy,
                              @JsonProperty("model_accuracy") Double modelAccuracy,
                              @JsonProperty("mean_exit_step") double meanExitStep,
                              @JsonProperty("mean_full_steps") double meanFullSteps,
                              @JsonProperty("step_fraction") double stepFraction,
                              @JsonProperty("oracle_accuracy") double oracleAccuracy,
                              @JsonProperty("oracle_step_fraction") double oracleStepFraction,
                              @JsonProperty("stable_oracle_accuracy") double stableOracleAccuracy,
                              @JsonProperty("stable_oracle_step_fraction") double stableOracleStepFraction,
                              @JsonProperty("energy_per_sample_uj") Double energyPerSampleUj,
                              @JsonProperty("full_energy_per_sample_uj") Double fullEnergyPerSampleUj,
                              @JsonProperty("ann_energy_per_sample_uj") Double annEnergyPerSampleUj,
                              @JsonProperty("energy_saving") Double energySaving,
                              @JsonProperty("engine") String engine,
                              @JsonProperty("engine_agreement") Double engineAgreement,
                              @JsonProperty("paths") List<PathResult> paths,
                              @JsonProperty("energy_layers") List<LayerEnergy> energyLayers,
                              @JsonProperty("calibration") ThresholdCalibration calibration,
                              @JsonProperty("curves") ExitCurves curves,
                              @JsonProperty("histogram") ExitHistogram histogram) {

    public static final String SCHEMA = "myelin.early-exit/1";

    /** Reads reports of this schema and later ones (fields are only ever added). */
    private static final ObjectReader READER = Json.reader().forType(EarlyExitReport.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * One inference path's run of the test file under the policy.
     *
     * @param name                    "model", "clock", "event" or "integer"
     * @param predictionAgreement     share of samples whose prediction at exit equals the model path's
     * @param exitAgreement           share of samples whose exit step equals the model path's
     * @param energyPerSampleUj       energy per sample up to each exit, by this path's own counts (µJ), or null
     * @param fullEnergyPerSampleUj   the same at full length, or null
     * @param exitPrefixEnergyPerSampleUj (a model with non-causal attention) one evaluation of each exit prefix alone
     * @param secondsPerSample        wall time per sample with early exit (network construction included)
     * @param fullSecondsPerSample    the same at full length, or null when the path ran only with early exit
     * @param runSecondsPerSample     wall time per sample of the stepping loop alone (engines), or null
     * @param fullRunSecondsPerSample the same at full length, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "samples", "accuracy", "mean_exit_step", "step_fraction", "prediction_agreement",
            "exit_agreement", "energy_per_sample_uj", "full_energy_per_sample_uj", "exit_prefix_energy_per_sample_uj",
            "seconds_per_sample", "full_seconds_per_sample", "run_seconds_per_sample", "full_run_seconds_per_sample"})
    public record PathResult(@JsonProperty("name") String name,
                             @JsonProperty("samples") int samples,
                             @JsonProperty("accuracy") double accuracy,
                             @JsonProperty("mean_exit_step") double meanExitStep,
                             @JsonProperty("step_fraction") double stepFraction,
                             @JsonProperty("prediction_agreement") double predictionAgreement,
                             @JsonProperty("exit_agreement") double exitAgreement,
                             @JsonProperty("energy_per_sample_uj") Double energyPerSampleUj,
                             @JsonProperty("full_energy_per_sample_uj") Double fullEnergyPerSampleUj,
                             @JsonProperty("exit_prefix_energy_per_sample_uj") Double exitPrefixEnergyPerSampleUj,
                             @JsonProperty("seconds_per_sample") double secondsPerSample,
                             @JsonProperty("full_seconds_per_sample") Double fullSecondsPerSample,
                             @JsonProperty("run_seconds_per_sample") Double runSecondsPerSample,
                             @JsonProperty("full_run_seconds_per_sample") Double fullRunSecondsPerSample) {
    }

    /**
     * One layer's counts per sample up to each exit and at full length (the model path's counting).
     */
    @JsonPropertyOrder({"name", "acs", "macs", "spikes", "energy_pj", "full_acs", "full_macs", "full_spikes",
            "full_energy_pj", "ann_energy_pj"})
    public record LayerEnergy(@JsonProperty("name") String name,
                              @JsonProperty("acs") double acs,
                              @JsonProperty("macs") double macs,
                              @JsonProperty("spikes") double spikes,
                              @JsonProperty("energy_pj") double energyPj,
                              @JsonProperty("full_acs") double fullAcs,
                              @JsonProperty("full_macs") double fullMacs,
                              @JsonProperty("full_spikes") double fullSpikes,
                              @JsonProperty("full_energy_pj") double fullEnergyPj,
                              @JsonProperty("ann_energy_pj") double annEnergyPj) {
    }

    /** The report as indented JSON. */
    public String toJson() {
        try {
            return Json.indented().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the early-exit report", e);
        }
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toJson());
    }

    public static EarlyExitReport read(Path file) {
        try {
            EarlyExitReport r = READER.readValue(Files.readString(file));
            if (r.schema() == null || !r.schema().startsWith("myelin.early-exit/")) {
                throw new InvalidInputException(file + " is not a Myelin early-exit report: 'schema' is " + r.schema());
            }
            return r;
        } catch (IOException e) {
            throw new InvalidInputException("cannot read early-exit report " + file + ": " + e.getMessage(), e);
        }
    }
}
