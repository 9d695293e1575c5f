package io.skychat.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.shell.core.autoconfigure.SpringShellAutoConfiguration;
import org.springframework.shell.core.autoconfigure.TerminalCustomizer;
import org.springframework.shell.core.command.Command;
import org.springframework.shell.core.command.CommandArgument;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandExecutionException;
import org.springframework.shell.core.command.CommandExecutor;
import org.springframework.shell.core.command.CommandNotFoundException;
import org.springframework.shell.core.command.CommandOption;
import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.shell.core.command.ParsedInput;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;
import org.springframework.shell.core.config.UserConfigPathProvider;
import org.springframework.shell.jline.CommandCompleter;
import org.springframework.shell.jline.JLineInputReader;
import org.springframework.shell.jline.PromptProvider;

/**
 * {@code skychat shell}: Spring Shell's JLine console over the CLI's own verbs. Each verb is adapted into a
 * Spring Shell {@link Command} that hands the line's words, untouched, to the verb's usual parser, so flags,
 * help and exit codes are those of {@code skychat <verb>}. The Spring context is started here, for this
 * verb only; the service's application never sees Spring Shell's auto-configuration
 * ({@code SkychatApplication} excludes it).
 *
 * <p>History lives in {@value #HISTORY_FILE} beside the alias file. Ctrl-C while a verb runs interrupts
 * that verb ({@code listen}, {@code events}) and returns to the prompt; at the prompt it clears the line.
 */
// Deliberately not a @Configuration: the service's component scan covers this package and must not find it.
// SpringApplication takes it as its source all the same, and @ImportAutoConfiguration makes it one.
@ImportAutoConfiguration(SpringShellAutoConfiguration.class)
class ShellConsole {

    static final String HISTORY_FILE = "skychat-shell-history";

    private static final AtomicBoolean ACTIVE = new AtomicBoolean();

    /** What the console was started with: its session flags and the process's streams and environment. */
    record Started(Session session, Call call) {
    }

    static boolean active() {
        return ACTIVE.get();
    }

    private static volatile Terminal sharedTerminal;

    /** The console's terminal while a console runs, for verbs that take over the screen (chat); else null. */
    static Terminal sharedTerminal() {
        return sharedTerminal;
    }

    static int run(Session session, Call call) {
        if (!ACTIVE.compareAndSet(false, true)) {
            throw CliException.usage("already in the shell");
        }
        try {
            SpringApplication app = new SpringApplication(ShellConsole.class);
            app.setWebApplicationType(WebApplicationType.NONE);
            app.setBannerMode(Banner.Mode.OFF);
            app.setLogStartupInfo(false);
            app.setRegisterShutdownHook(false);
            app.setDefaultProperties(properties());
            Started started = new Started(session, call);
            // The CLI's logging is set up already; Boot takes the same file from logging.config instead.
            System.clearProperty("logback.configurationFile");
            app.addInitializers(context -> context.getBeanFactory().registerSingleton("skychatShellStarted", started));
            String tty = SttyState.save();
            try (ConfigurableApplicationContext context = app.run()) {
                return context.getBean(Loop.class).exitCode();
            } finally {
                SttyState.restore(tty); // after the context closed the terminal
            }
        } finally {
            ACTIVE.set(false);
        }
    }

    static Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.config.name", "skychat-shell"); // not the service's application.yml
        p.put("spring.application.name", "skychat");
        p.put("logging.config", "classpath:skychat-cli-logback.xml");
        p.put("spring.shell.history.name", HISTORY_FILE);
        // Spring Shell's help, version and script commands are replaced by the verbs' own help and script.
        p.put("spring.shell.command.help.enabled", "false");
        p.put("spring.shell.command.version.enabled", "false");
        p.put("spring.shell.command.script.enabled", "false");
        // Spring Shell's `history` (the typed lines) would shadow the verb `history` (stored messages);
        // the typed lines stay reachable with the arrow keys and Ctrl-R.
        p.put("spring.shell.command.history.enabled", "false");
        return p;
    }

    @Bean
    UserConfigPathProvider skychatUserConfigPath(Started started) {
        return () -> Aliases.fileFor(started.call().env()).getParent();
    }

    /** Lines piped in rather than typed: a plain terminal, chosen rather than fallen back to with a warning. */
    @Bean
    TerminalCustomizer skychatTerminal() {
        return builder -> {
            if (System.console() == null) {
                builder.dumb(true);
            }
        };
    }

    @Bean
    PromptProvider skychatPrompt(Started started) {
        String prompt = "skychat " + started.session().addrOrDefault() + "> ";
        return () -> new AttributedString(prompt, AttributedStyle.DEFAULT.bold());
    }

    @Bean
    CommandParser skychatCommandParser() {
        return input -> {
            List<String> words = Words.split(input);
            ParsedInput.Builder b = ParsedInput.builder().commandName(words.isEmpty() ? "" : words.get(0));
            for (int i = 1; i < words.size(); i++) {
                b.addArgument(new CommandArgument(i - 1, words.get(i)));
            }
            return b.build();
        };
    }

    @Bean
    ShellCompletion skychatCompletion(Started started) {
        return new ShellCompletion(started.session(), started.call().env());
    }

    @Bean
    CommandRegistry commandRegistry(Started started, ShellCompletion completion) {
        CommandRegistry registry = new CommandRegistry();
        for (Verb verb : Cli.verbs().values()) {
            if (!verb.name().equals("shell")) {
                registry.registerCommand(new VerbCommand(verb, started, completion));
            }
        }
        registry.registerCommand(new HelpCommand(started, completion));
        return registry; // Spring Shell's own command beans (clear) join it once the context is up
    }

    @Bean
    CommandCompleter commandCompleter(CommandRegistry registry) {
        return new Completer(registry);
    }

    @Bean
    Loop skychatShellLoop(LineReader reader, PromptProvider prompt, CommandParser parser, CommandRegistry registry,
                          Started started) {
        return new Loop(reader, prompt, parser, registry, started);
    }

    /** Spring Shell's option descriptions of a verb, from its one list of {@link Args.Option}s. */
    static List<CommandOption> options(Verb verb) {
        List<CommandOption> options = new ArrayList<>();
        List<Args.Option> all = new ArrayList<>(verb.options());
        all.addAll(Args.GLOBAL);
        for (Args.Option o : all) {
            options.add(CommandOption.with()
                    .longName(o.longName())
                    .shortName(o.shortName() == 0 ? ' ' : o.shortName())
                    .description(o.description())
                    .required(false)
                    .type(o.takesValue() ? String.class : boolean.class)
                    .build());
        }
        return options;
    }

    /** One verb as a console command: the words after its name go to the verb exactly as typed. */
    static final class VerbCommand implements Command {

        private final Verb verb;
        private final Started started;
        private final ShellCompletion completion;

        VerbCommand(Verb verb, Started started, ShellCompletion completion) {
            this.verb = verb;
            this.started = started;
            this.completion = completion;
        }

        @Override
        public String getName() {
            return verb.name();
        }

        @Override
        public String getDescription() {
            return verb.summary();
        }

        @Override
        public String getHelp() {
            return Cli.help(verb);
        }

        @Override
        public String getGroup() {
            return "skychat";
        }

        @Override
        public List<CommandOption> getOptions() {
            return options(verb);
        }

        @Override
        public CompletionProvider getCompletionProvider() {
            return context -> completion.propose(verb, context);
        }

        @Override
        public ExitStatus execute(CommandContext context) {
            List<String> words = new ArrayList<>();
            words.add(verb.name());
            context.parsedInput().arguments().forEach(a -> words.add(a.value()));
            Call call = started.call();
            int code = Cli.run(started.session().argv(words), call.out(), call.err(), call.env());
            return status(code);
        }
    }

    /** {@code help} and {@code help <verb>}: the same text as {@code skychat help} and {@code --help}. */
    static final class HelpCommand implements Command {

        private final Started started;
        private final ShellCompletion completion;

        HelpCommand(Started started, ShellCompletion completion) {
            this.started = started;
            this.completion = completion;
        }

        @Override
        public String getName() {
            return "help";
        }

        @Override
        public String getDescription() {
            return "list the commands; help <command> for one of them";
        }

        @Override
        public String getGroup() {
            return "skychat";
        }

        @Override
        public CompletionProvider getCompletionProvider() {
            return context -> completion.propose(null, context);
        }

        @Override
        public ExitStatus execute(CommandContext context) {
            List<String> words = new ArrayList<>(List.of("help"));
            context.parsedInput().arguments().forEach(a -> words.add(a.value()));
            Call call = started.call();
            int code = Cli.run(words.toArray(String[]::new), call.out(), call.err(), call.env());
            if (words.size() == 1) {
                call.out().print("""

                        in this shell: a verb's flags as above, without "skychat"; also clear, and exit (or
                        Ctrl-D). Tab completes, Up and Ctrl-R recall earlier lines; Ctrl-C stops a running
                        verb or clears the line.
                        """);
            }
            return status(code);
        }
    }

    static ExitStatus status(int code) {
        return code == Cli.OK ? ExitStatus.OK : new ExitStatus(code, "exit status " + code);
    }

    /**
     * Verb names first; after a verb, what its {@link CompletionProvider} proposes for the word under the
     * cursor (flags, aliases, peers, networks). Spring Shell's own completer stops at the first positional
     * word ({@code alias rm <name>}), so this one asks the command for every word.
     */
    static final class Completer extends CommandCompleter {

        private final CommandRegistry registry;

        Completer(CommandRegistry registry) {
            super(registry);
            this.registry = registry;
        }

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            List<String> words = line.words();
            if (line.wordIndex() <= 0) {
                for (Command c : registry.getCommands()) {
                    if (!c.isHidden()) {
                        candidates.add(new Candidate(c.getName(), c.getName(), null, c.getDescription(), null, null, true));
                    }
                }
                candidates.add(new Candidate("exit", "exit", null, "leave the shell", null, null, true));
                return;
            }
            Command command = registry.getCommandByName(words.get(0));
            if (command == null) {
                return;
            }
            CompletionContext context = new CompletionContext(words, line.wordIndex(), line.wordCursor(), command, null);
            for (CompletionProposal p : command.getCompletionProvider().apply(context)) {
                candidates.add(new Candidate(p.value(), p.displayText(), p.category(), p.description(), null, null,
                        p.complete()));
            }
        }
    }

    /** Reads lines and runs them until {@code exit}, {@code quit} or Ctrl-D. */
    static final class Loop implements ApplicationRunner {

        private final LineReader reader;
        private final PromptProvider prompt;
        private final CommandParser parser;
        private final CommandRegistry registry;
        private final Started started;
        private volatile Thread running;
        private int exitCode = Cli.OK;

        Loop(LineReader reader, PromptProvider prompt, CommandParser parser, CommandRegistry registry, Started started) {
            this.reader = reader;
            this.prompt = prompt;
            this.parser = parser;
            this.registry = registry;
            this.started = started;
        }

        int exitCode() {
            return exitCode;
        }

        @Override
        public void run(ApplicationArguments args) {
            Terminal terminal = reader.getTerminal();
            PrintStream out = started.call().out();
            PrintStream err = started.call().err();
            ensureHistoryDirectory();
            sharedTerminal = terminal;
            try {
                loop(terminal, out, err);
            } finally {
                sharedTerminal = null;
            }
        }

        private void loop(Terminal terminal, PrintStream out, PrintStream err) {
            CommandExecutor executor = new CommandExecutor(registry);
            err.println("skychat shell on " + started.session().addrOrDefault()
                    + ": help lists the commands, Tab completes, exit or Ctrl-D leaves");
            while (true) {
                String line;
                try {
                    line = reader.readLine(prompt.getPrompt().toAnsi(terminal));
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt: a fresh line, as in sh
                } catch (EndOfFileException e) {
                    break;
                }
                ParsedInput input;
                try {
                    input = parser.parse(line);
                } catch (CliException e) {
                    err.println("skychat: " + e.getMessage());
                    continue;
                }
                String name = input.commandName();
                if (name.isEmpty()) {
                    continue;
                }
                if (name.equals("exit") || name.equals("quit")) {
                    exitCode = exitArgument(input, err);
                    if (exitCode >= 0) {
                        break;
                    }
                    exitCode = Cli.OK;
                    continue;
                }
                // A new handler object each time, so it is armed again even after a verb (chat) reset it.
                terminal.handle(Terminal.Signal.INT, signal -> {
                    Thread t = running;
                    if (t != null) {
                        t.interrupt();
                    }
                });
                running = Thread.currentThread();
                try {
                    executor.execute(new CommandContext(input, registry, terminal.writer(), new JLineInputReader(reader)));
                } catch (CommandNotFoundException e) {
                    err.println("skychat: unknown command \"" + TerminalText.escape(name) + "\" (try: help)");
                } catch (CommandExecutionException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    err.println("skychat " + name + ": unexpected error: " + cause);
                } finally {
                    running = null;
                    if (Thread.interrupted()) { // a Ctrl-C meant for the verb must not end the next prompt
                        err.println();
                    }
                    out.flush();
                    err.flush();
                    terminal.writer().flush();
                }
            }
        }

        /** {@code exit} → 0, {@code exit N} → N; a bad argument is reported and the shell stays (-1). */
        private static int exitArgument(ParsedInput input, PrintStream err) {
            List<CommandArgument> a = input.arguments();
            if (a.isEmpty()) {
                return Cli.OK;
            }
            try {
                int n = Integer.parseInt(a.get(0).value());
                if (a.size() == 1 && n >= 0 && n <= 255) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            err.println("skychat: exit takes one number 0..255");
            return -1;
        }

        private void ensureHistoryDirectory() {
            Object file = reader.getVariable(LineReader.HISTORY_FILE);
            if (file != null) {
                try {
                    Path parent = Path.of(file.toString()).toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                } catch (IOException | RuntimeException e) {
                    started.call().note("history will not be kept: " + e.getMessage());
                }
            }
        }
    }
}
