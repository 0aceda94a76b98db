package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README shows what this project holds: each README block announced by {@code <!-- consumer: PATH -->} is the
 * file PATH (under examples/consumer/) verbatim for Java, and for a pom a part of it (compared line by line, leading
 * blanks ignored). So the snippet a user copies is the one CI runs.
 */
class ReadmeSnippetTest {
    static final Path CONSUMER = Path.of(System.getProperty("consumer.dir", ".."));

    @Test
    void theJavaProgramIsTheReadmeSnippet() throws IOException {
        assertEquals(Files.readString(CONSUMER.resolve("src/main/java/example/MigrateFaiss.java")),
                block("src/main/java/example/MigrateFaiss.java") + "\n");
    }

    @Test
    void thePomsHoldTheReadmeDependencies() throws IOException {
        for (String pom : List.of("bom/pom.xml", "plain/pom.xml")) {
            List<String> want = block(pom).lines().map(String::strip).toList();
            List<String> have = Files.readString(CONSUMER.resolve(pom)).lines().map(String::strip).toList();
            assertTrue(java.util.Collections.indexOfSubList(have, want) >= 0,
                    "examples/consumer/" + pom + " does not contain the README's block:\n" + String.join("\n", want));
        }
    }

    /** The fenced block right after the README's {@code <!-- consumer: path -->} line, without its fences. */
    static String block(String path) throws IOException {
        List<String> readme = Files.readAllLines(CONSUMER.resolve("../../README.md"));
        int at = readme.indexOf("<!-- consumer: " + path + " -->");
        assertTrue(at >= 0, "README.md has no <!-- consumer: " + path + " --> marker");
        assertTrue(readme.get(at + 1).startsWith("```"), "a fenced block follows the marker of " + path);
        int end = at + 2;
        while (!readme.get(end).equals("```")) {
            end++;
        }
        return String.join("\n", readme.subList(at + 2, end));
    }
}
