package io.roadneg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenTest {
    @TempDir
    Path dir;

    /** Runs gen in-process and captures its output. */
    static final class Run {
        final int code;
        final String out;
        final String err;

        Run(String... args) {
            CommandLine cl = Gen.commandLine();
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            cl.setOut(new PrintWriter(o, true));
            cl.setErr(new PrintWriter(e, true));
            code = cl.execute(args);
            out = o.toString();
            err = e.toString();
        }
    }

    @Test
    void aNamedSubcommandIsBuiltAloneAndEverythingElseSeesTheWholeTree() {
        java.util.Set<String> all = Gen.commandLine().getSubcommands().keySet();
        assertTrue(all.containsAll(java.util.List.of("paste", "eval", "flow", "ablate", "generate-completion")), "" + all);
        assertEquals(java.util.Set.of("paste"), Gen.commandLine("paste").getSubcommands().keySet());
        assertEquals(all, Gen.commandLine("pste").getSubcommands().keySet(), "a typo still gets suggestions");
        assertEquals(all, Gen.commandLine("--help").getSubcommands().keySet());
        assertEquals(all, Gen.commandLine("generate-completion").getSubcommands().keySet());
        // the lone subcommand parses as it does in the tree, its source-root options included
        assertTrue(Gen.commandLine("paste").getSubcommands().get("paste").getCommandSpec().findOption("--coco-root")
                != null);
    }

    @Test
    void helpAndVersion() {
        Run help = new Run("--help");
        assertEquals(0, help.code);
        assertTrue(help.out.contains("doctor"), help.out);
        assertTrue(help.out.contains("generate-completion"), help.out);
        Run version = new Run("--version");
        assertEquals(0, version.code);
        assertTrue(version.out.startsWith("gen (roadneg) "), version.out);
    }

    @Test
    void runningOutOfHeapIsOneLineThatSaysWhatToDo() {
        assertEquals("gen paste: error: out of memory (the Java heap is 4.0 GB): give it more with GEN_HEAP (say "
                + "GEN_HEAP=16g gen ...), or ask for less at a time (fewer --threads, a smaller --batch)",
                Gen.outOfMemory("paste", 4L << 30));
        assertTrue(Gen.outOfMemory(null, 3L << 29).startsWith("gen: error: out of memory (the Java heap is 1.5 GB)"));
        assertTrue(Gen.outOfMemory("-v", 1L << 30).startsWith("gen: error: "));
    }

    @Test
    void usageErrorsExitWithTwo() {
        Run r = new Run("doctor", "--no-such-option");
        assertEquals(2, r.code);
        assertTrue(r.err.contains("Unknown option: '--no-such-option'"), r.err);
        assertEquals(2, new Run("no-such-command").code);
    }

    @Test
    void completionScriptIsBash() {
        Run r = new Run("generate-completion");
        assertEquals(0, r.code);
        assertTrue(r.out.contains("complete -F"), "a bash completion script");
        assertTrue(r.out.contains("doctor"));
    }

    @Test
    void doctorChecksDatasetRootsAndSaysHowToFix() throws Exception {
        Run bad = new Run("doctor", "--no-native", "--cityscapes-root", dir.resolve("nope").toString());
        assertEquals(1, bad.code);
        assertTrue(bad.out.contains("[missing] cityscapes"), bad.out);
        assertTrue(bad.out.contains("fix: point --cityscapes-root at the folder holding leftImg8bit/"), bad.out);
        Files.createDirectories(dir.resolve("cs/leftImg8bit/train/aachen"));
        Files.createDirectories(dir.resolve("coco/annotations"));
        Files.createDirectories(dir.resolve("coco/val2017"));
        Files.writeString(dir.resolve("coco/annotations/instances_val2017.json"), "{}");
        Run ok = new Run("doctor", "--no-native", "--cityscapes-root", dir.resolve("cs").toString(), "--coco-root",
                dir.resolve("coco").toString());
        assertTrue(ok.out.contains("cityscapes: " + dir.resolve("cs") + " (train: 0 images, 0 labelled; )"), ok.out);
        assertTrue(ok.out.contains("[ok]      coco: " + dir.resolve("coco") + " (val2017: 0 images)"), ok.out);
        assertFalse(ok.out.contains("[missing]"), ok.out);
        Run ade = new Run("doctor", "--no-native", "--ade20k-root", dir.resolve("nope").toString(), "--patches-dir",
                dir.resolve("cs").toString());
        assertTrue(ade.out.contains("[missing] ade20k: ") && ade.out.contains("fix: point --ade20k-root at"), ade.out);
        assertTrue(ade.out.contains("[ok]      patches: " + dir.resolve("cs")), ade.out);
    }

    @Test
    void everyDatasetCommandTakesTheSameRootOptions() {
        for (String cmd : new String[] {"paste", "train", "finetune", "doctor"}) {
            Run help = new Run(cmd, "--help");
            for (String opt : new String[] {"--cityscapes-root", "--sample-data", "--coco-root", "--coco-ood",
                "--ade20k-root", "--patches-dir"}) {
                assertTrue(help.out.contains(opt), cmd + " lacks " + opt + ":\n" + help.out);
            }
        }
    }

    @Test
    void doctorLoadsTheNativeLibraries() {
        Run r = new Run("doctor");
        assertTrue(r.out.contains("[ok]      opencv: OpenCV 4.9.0"), r.out);
        assertTrue(r.out.contains("[ok]      djl-pytorch: DJL 0.35.1, PyTorch 2.7.1"), r.out);
        assertTrue(r.out.contains(" gpu: "), r.out);
        assertTrue(r.out.contains("[ok]      flow-sampling: flow sampling works on "), r.out);
        assertEquals(0, r.code, r.out);
    }
}
