// Extracts a zip with java.util.zip.ZipInputStream, the JDK's streaming reader:
// it trusts local headers only. Usage: java ZipStreamExtract.java ZIP OUTDIR
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.zip.*;

public class ZipStreamExtract {
    public static void main(String[] args) throws IOException {
        Path out = Paths.get(args[1]);
        try (ZipInputStream zin = new ZipInputStream(
                new BufferedInputStream(new FileInputStream(args[0]), 1 << 16), StandardCharsets.UTF_8)) {
            ZipEntry e;
            byte[] buf = new byte[1 << 16];
            while ((e = zin.getNextEntry()) != null) {
                try (OutputStream o = Files.newOutputStream(out.resolve(e.getName()))) {
                    int n;
                    while ((n = zin.read(buf)) > 0) o.write(buf, 0, n);
                }
            }
        }
    }
}
