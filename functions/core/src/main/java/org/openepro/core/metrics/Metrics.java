package org.openepro.core.metrics;

import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.exception.DimensionSetExceededException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidDimensionException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidMetricException;
import software.amazon.cloudwatchlogs.emf.exception.InvalidNamespaceException;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * Business metrics in CloudWatch Embedded Metric Format (one JSON line on stdout a flush).
 * Names and the single {@code Service} dimension are fixed strings: no id or value of a
 * patient ever becomes a dimension. One instance per container; flush once per invocation.
 */
public final class Metrics {
    public static final String NAMESPACE = "OpenEPRO";

    private final MetricsLogger logger;

    private Metrics(String service) {
        // the Lambda environment writes to stdout without probing any metadata endpoint
        this.logger = new MetricsLogger(new LambdaEnvironment());
        try {
            logger.setNamespace(NAMESPACE);
            logger.setDimensions(DimensionSet.of("Service", service));
        } catch (InvalidNamespaceException | InvalidDimensionException | DimensionSetExceededException e) {
            throw new IllegalArgumentException("invalid metric namespace or service name", e);
        }
        logger.setFlushPreserveDimensions(true);
    }

    public static Metrics forService(String service) {
        return new Metrics(service);
    }

    public synchronized void count(Metric metric, long value) {
        put(metric.cloudWatchName(), value, Unit.COUNT);
    }

    public synchronized void milliseconds(Metric metric, double value) {
        put(metric.cloudWatchName(), value, Unit.MILLISECONDS);
    }

    public synchronized void flush() {
        logger.flush();
    }

    private void put(String name, double value, Unit unit) {
        try {
            logger.putMetric(name, value, unit);
        } catch (InvalidMetricException e) {
            throw new IllegalArgumentException("invalid metric " + name, e);
        }
    }
}
