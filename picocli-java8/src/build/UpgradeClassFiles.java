import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.constant.ClassDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Rewrites, in place, the class files under a folder that are older than Java 6 (class file
 * version 50) as version 52 files with stack maps, the same bytecode otherwise. Run by this
 * module's build, with the JDK that runs the build: {@code java UpgradeClassFiles.java FOLDER}.
 *
 * <p>Why: the JDK's start-up cache (JEP 483) cannot hold a class that the old, inferring verifier
 * has to check, so picocli's classes, compiled for Java 5, were read, verified and linked anew at
 * every start of every command; rewritten, they come from the cache. The stack maps are computed
 * from the bytecode by the JDK's class-file API, and the split verifier checks them as each class
 * loads. A file already new enough is left untouched.
 */
public final class UpgradeClassFiles {

  private static final int OLDEST_KEPT = ClassFile.JAVA_6_VERSION;
  private static final int REWRITTEN_AS = ClassFile.JAVA_8_VERSION;

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java UpgradeClassFiles.java FOLDER");
      System.exit(2);
    }
    Path folder = Path.of(args[0]);
    List<Path> classFiles;
    try (Stream<Path> files = Files.walk(folder)) {
      classFiles = files.filter(f -> f.toString().endsWith(".class"))
          .filter(f -> !folder.relativize(f).startsWith("META-INF"))
          .toList();
    }
    // Where branches meet, a stack map names their common supertype, which may be a class here.
    ClassFile classFile = ClassFile.of(
        ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
        ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
            .orElse(ClassHierarchyResolver.ofResourceParsing(type -> open(folder, type)))));
    // Rebuilding every method's code is what makes the class-file API compute its stack map.
    ClassTransform toNewVersion = ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
        .andThen(ClassTransform.endHandler(builder -> builder.withVersion(REWRITTEN_AS, 0)));
    for (Path file : classFiles) {
      ClassModel model = classFile.parse(Files.readAllBytes(file));
      if (model.majorVersion() < OLDEST_KEPT) {
        Files.write(file, classFile.transformClass(model, toNewVersion));
      }
    }
  }

  /** The class file of {@code type} under {@code folder}, or null if it is not there. */
  private static InputStream open(Path folder, ClassDesc type) {
    String descriptor = type.descriptorString(); // Lpicocli/CommandLine$Help;
    Path file = folder.resolve(descriptor.substring(1, descriptor.length() - 1) + ".class");
    try {
      return Files.exists(file) ? Files.newInputStream(file) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
