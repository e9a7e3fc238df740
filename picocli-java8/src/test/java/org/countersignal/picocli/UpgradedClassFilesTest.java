package org.countersignal.picocli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.lang.classfile.ClassFile;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** picocli's classes as this module's build leaves them, where the command line loads them from. */
class UpgradedClassFilesTest {

  private static Path classes() throws Exception {
    return Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static List<Path> classFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(f -> f.toString().endsWith(".class")).toList();
    }
  }

  @Test
  void everyClassIsAJava8ClassFileWithStackMaps() throws Exception {
    List<Path> files = classFiles(classes());

    assertThat(files).hasSizeGreaterThan(200);
    for (Path file : files) {
      var model = ClassFile.of().parse(file);
      assertThat(model.majorVersion()).as("%s", file).isGreaterThanOrEqualTo(ClassFile.JAVA_8_VERSION);
    }
    var commandLine = ClassFile.of().parse(classes().resolve("picocli/CommandLine.class"));
    assertThat(commandLine.methods().stream()
            .flatMap(m -> m.code().stream())
            .filter(code -> code.findAttribute(java.lang.classfile.Attributes.stackMapTable()).isPresent()))
        .isNotEmpty();
  }

  @Test
  void everyClassPassesTheVerifierAsItLinks() throws Exception {
    Path folder = classes();
    try (URLClassLoader isolated = new URLClassLoader(
        new URL[] {folder.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      for (Path file : classFiles(folder)) {
        String path = folder.relativize(file).toString();
        String name = path.substring(0, path.length() - ".class".length()).replace('/', '.');
        // Initialising links the class, and linking verifies it against its stack maps.
        Class<?> loaded = Class.forName(name, true, isolated);
        assertThat(loaded.getClassLoader()).isSameAs(isolated);
      }
    }
  }

  @Command(name = "greet", mixinStandardHelpOptions = true, description = "Greets.")
  static final class Greet {
    @Option(names = "--times", defaultValue = "1") int times;
    @Parameters(index = "0") String who;
  }

  @Test
  void parsesAndPrintsUsageAsPicocliDoes() {
    Greet greet = new Greet();
    CommandLine commandLine = new CommandLine(greet);
    commandLine.parseArgs("--times", "3", "world");
    StringWriter usage = new StringWriter();
    commandLine.usage(new PrintWriter(usage), CommandLine.Help.Ansi.OFF);

    assertThat(greet.times).isEqualTo(3);
    assertThat(greet.who).isEqualTo("world");
    assertThat(usage.toString()).contains("Usage: greet [-hV] [--times=<times>] <who>", "Greets.");
  }
}
