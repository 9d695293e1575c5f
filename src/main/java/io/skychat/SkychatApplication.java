package io.skychat;

import io.skychat.cli.Cli;
import io.skychat.config.CommandLineFlags;
import io.skychat.transport.visor.AppProtocolException;
import io.skychat.transport.visor.ProcConfig;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * One jar, two faces: with a verb ({@code skychat send …}) it is the command-line client, otherwise it is
 * the service, configured by upstream's flags ({@code --standalone --addr :8002 --tcp-listen :8800 …}).
 */
// Spring Shell's auto-configuration belongs to `skychat shell` alone (cli/ShellConsole imports it); the service
// must never see it, or its program arguments would be run as shell commands.
// The others are parsed and evaluated at every start for nothing (docs/benchmarks.md, "Start-up, second pass"):
// actuator endpoints the service never exposes (health, info and prometheus are all it has), JMX (off), and
// support for what no part of the service uses (aspects, @Async/@Scheduled pools, multipart bodies, web
// sessions, resource bundles, Jackson 2 for actuator output).
// Components live in config/ and api/ only: scanning the whole jar read every other class file at each start.
@SpringBootApplication(scanBasePackages = {"io.skychat.config", "io.skychat.api"}, excludeName = {
        "org.springframework.shell.core.autoconfigure.SpringShellAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.audit.AuditAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.audit.AuditEventsEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.beans.BeansEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.condition.ConditionsReportEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.management.HeapDumpWebEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.web.exchanges.HttpExchangesEndpointAutoConfiguration",
        "org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.logging.LogFileWebEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.logging.LoggersEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.web.mappings.MappingsEndpointAutoConfiguration",
        "org.springframework.boot.autoconfigure.context.MessageSourceAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.sbom.SbomEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.scheduling.ScheduledTasksEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.context.ShutdownEndpointAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.autoconfigure.admin.SpringApplicationAdminJmxAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.startup.StartupEndpointAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.management.ThreadDumpEndpointAutoConfiguration",
        "org.springframework.boot.webflux.autoconfigure.actuate.web.exchanges.WebFluxHttpExchangesAutoConfiguration",
        "org.springframework.boot.webflux.autoconfigure.actuate.web.mappings.WebFluxMappingsAutoConfiguration",
        "org.springframework.boot.autoconfigure.aop.AopAutoConfiguration",
        "org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration",
        "org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ScheduledTasksObservationAutoConfiguration",
        "org.springframework.boot.webflux.autoconfigure.ReactiveMultipartAutoConfiguration",
        "org.springframework.boot.webflux.autoconfigure.WebSessionIdResolverAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.endpoint.jackson.Jackson2EndpointAutoConfiguration",
        "org.springdoc.webflux.core.configuration.MultipleOpenApiSupportConfiguration"})
public class SkychatApplication {

    public static void main(String[] args) {
        if (Cli.isVerb(args)) {
            System.exit(Cli.run(args));
        }
        String[] springArgs;
        try {
            springArgs = CommandLineFlags.toSpringArguments(visorArguments(args, System.getenv(ProcConfig.ENV)));
        } catch (IllegalArgumentException | AppProtocolException e) {
            System.err.println("skychat: " + e.getMessage());
            System.exit(2);
            return;
        }
        SpringApplication.run(SkychatApplication.class, springArgs);
    }

    /**
     * Started by a visor, argv is the launcher's {@code proc_args} already; if it is empty they are taken from
     * {@code PROC_CONFIG}. A PROC_CONFIG that does not parse stops the start here, in one line, with exit code 2.
     */
    static String[] visorArguments(String[] args, String procConfig) {
        if (procConfig == null) {
            return args;
        }
        ProcConfig config = ProcConfig.parse(procConfig);
        return args.length > 0 ? args : config.procArgs().toArray(String[]::new);
    }
}
