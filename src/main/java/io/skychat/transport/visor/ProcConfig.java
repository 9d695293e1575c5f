package io.skychat.transport.visor;

import io.skychat.core.PeerKey;
import io.skychat.transport.gob.GobValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the visor tells an app it starts, in the {@code PROC_CONFIG} environment variable (Go
 * {@code appcommon.ProcConfig}). Also the argument of {@code app-visor.RegisterApp} for an app the visor
 * did not start. We require the three fields an app cannot work without: the app server address, the
 * proc key for the Hello and the visor key for Listen.
 */
public record ProcConfig(String appName, String appServerAddr, ProcKey procKey, List<String> procArgs,
        List<String> procEnvs, String procWorkDir, PeerKey visorPk, int routingPort, String binaryLoc,
        String logDbLoc, String logStorePath) {

    public static final String ENV = "PROC_CONFIG";
    /** The visor's {@code launcher.server_addr} when its config leaves it out. */
    public static final String DEFAULT_APP_SERVER_ADDR = "localhost:5505";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public ProcConfig {
        appName = Objects.requireNonNullElse(appName, "");
        if (appServerAddr == null || appServerAddr.isBlank()) {
            throw AppProtocolException.badProcConfig("app_server_addr is missing");
        }
        checkHostPort(appServerAddr);
        if (procKey == null) {
            throw AppProtocolException.badProcConfig("proc_key is missing");
        }
        if (visorPk == null) {
            throw AppProtocolException.badProcConfig("visor_pk is missing");
        }
        if (routingPort < 0 || routingPort > 0xffff) {
            throw AppProtocolException.badProcConfig("routing_port " + routingPort + " is not a port");
        }
        procArgs = procArgs == null ? List.of() : List.copyOf(procArgs);
        procEnvs = procEnvs == null ? List.of() : List.copyOf(procEnvs);
        procWorkDir = Objects.requireNonNullElse(procWorkDir, "");
        binaryLoc = Objects.requireNonNullElse(binaryLoc, "");
        logDbLoc = Objects.requireNonNullElse(logDbLoc, "");
        logStorePath = Objects.requireNonNullElse(logStorePath, "");
    }

    /** The config of this process, or why there is none. */
    public static ProcConfig fromEnvironment(Map<String, String> env) {
        String json = env.get(ENV);
        if (json == null) {
            throw AppProtocolException.badProcConfig("env '" + ENV + "' is not defined");
        }
        return parse(json);
    }

    /**
     * Parses the JSON as Go's {@code encoding/json} would fill the struct: keys match case-insensitively,
     * unknown keys and nulls are ignored, a value of the wrong type is an error.
     */
    public static ProcConfig parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw AppProtocolException.badProcConfig("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw AppProtocolException.badProcConfig("expected a JSON object");
        }
        Fields f = new Fields();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            String key = e.getKey().toLowerCase(Locale.ROOT);
            switch (key) {
                case "app_name" -> f.appName = string(key, v);
                case "app_server_addr" -> f.appServerAddr = string(key, v);
                case "proc_key" -> f.procKey = procKey(string(key, v));
                case "proc_args" -> f.procArgs = strings(key, v);
                case "proc_envs" -> f.procEnvs = strings(key, v);
                case "proc_work_dir" -> f.procWorkDir = string(key, v);
                case "visor_pk" -> f.visorPk = visorPk(string(key, v));
                case "routing_port" -> f.routingPort = port(key, v);
                case "binary_loc" -> f.binaryLoc = string(key, v);
                case "log_db_loc" -> f.logDbLoc = string(key, v);
                case "log_store_path" -> f.logStorePath = string(key, v);
                default -> {
                    // newer visors add fields; Go ignores what it does not know, and so do we
                }
            }
        }
        return new ProcConfig(f.appName, f.appServerAddr, f.procKey, f.procArgs, f.procEnvs, f.procWorkDir,
                f.visorPk, f.routingPort, f.binaryLoc, f.logDbLoc, f.logStorePath);
    }

    private static final class Fields {
        String appName;
        String appServerAddr;
        ProcKey procKey;
        List<String> procArgs;
        List<String> procEnvs;
        String procWorkDir;
        PeerKey visorPk;
        int routingPort;
        String binaryLoc;
        String logDbLoc;
        String logStorePath;
    }

    private static String string(String key, JsonNode v) {
        if (!v.isString()) {
            throw AppProtocolException.badProcConfig(key + " must be a string, got " + v.getNodeType());
        }
        return v.asString();
    }

    private static List<String> strings(String key, JsonNode v) {
        if (!v.isArray()) {
            throw AppProtocolException.badProcConfig(key + " must be an array of strings, got " + v.getNodeType());
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            out.add(string(key + "[" + out.size() + "]", item));
        }
        return out;
    }

    private static int port(String key, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0 || v.asInt() > 0xffff) {
            throw AppProtocolException.badProcConfig(key + " must be a whole number in 0..65535, got " + v);
        }
        return v.asInt();
    }

    private static ProcKey procKey(String hex) {
        try {
            return ProcKey.parse(hex);
        } catch (IllegalArgumentException e) {
            throw AppProtocolException.badProcConfig("proc_key: " + e.getMessage());
        }
    }

    private static PeerKey visorPk(String hex) {
        try {
            return PeerKey.parse(hex);
        } catch (IllegalArgumentException e) {
            throw AppProtocolException.badProcConfig("visor_pk: " + e.getMessage());
        }
    }

    private static void checkHostPort(String addr) {
        int colon = addr.lastIndexOf(':');
        String port = colon < 0 ? "" : addr.substring(colon + 1);
        boolean ok = !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(Character::isDigit)
                && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 0xffff;
        if (!ok) {
            throw AppProtocolException.badProcConfig("app_server_addr '" + addr + "' is not host:port");
        }
    }

    /** As the argument of {@code app-visor.RegisterApp}: the Go struct, fields by Go name. */
    GobValue toGob() {
        return GobValue.Struct.builder("ProcConfig")
                .put("AppName", new GobValue.Str(appName))
                .put("AppSrvAddr", new GobValue.Str(appServerAddr))
                .put("ProcKey", new GobValue.Marshaled("ProcKey", procKey.hex().getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .put("ProcArgs", strings(procArgs))
                .put("ProcEnvs", strings(procEnvs))
                .put("ProcWorkDir", new GobValue.Str(procWorkDir))
                .put("VisorPK", new GobValue.Marshaled("PubKey", visorPk.toBytes()))
                .put("RoutingPort", new GobValue.Uint(routingPort))
                .put("BinaryLoc", new GobValue.Str(binaryLoc))
                .put("LogDBLoc", new GobValue.Str(logDbLoc))
                .put("LogStorePath", new GobValue.Str(logStorePath))
                .build();
    }

    static ProcConfig fromGob(GobValue value) {
        GobValue.Struct s = AppValues.struct(value, "ProcConfig");
        List<String> args = AppValues.strings(s, "ProcArgs");
        List<String> envs = AppValues.strings(s, "ProcEnvs");
        return new ProcConfig(s.string("AppName"), s.string("AppSrvAddr"),
                AppValues.procKey(s.marshaled("ProcKey").orElse(new byte[0])), args, envs, s.string("ProcWorkDir"),
                AppValues.pubKey(s, "VisorPK"), s.uint16("RoutingPort"), s.string("BinaryLoc"), s.string("LogDBLoc"),
                s.string("LogStorePath"));
    }

    private static GobValue strings(List<String> list) {
        return new GobValue.Sequence(list.stream().map(x -> (GobValue) new GobValue.Str(x)).toList());
    }
}
