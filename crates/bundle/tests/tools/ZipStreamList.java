// Lists a zip with java.util.zip.ZipInputStream (streaming; local headers only):
// one line per entry, "name<TAB>bytes read<TAB>crc32 of them", without storing them.
// Usage: java ZipStreamList.java ZIP
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.zip.*;

public class ZipStreamList {
    public static void main(String[] args) throws IOException {
        try (ZipInputStream zin = new ZipInputStream(
                new BufferedInputStream(new FileInputStream(args[0]), 1 << 20), StandardCharsets.UTF_8)) {
            ZipEntry e;
            byte[] buf = new byte[1 << 20];
            while ((e = zin.getNextEntry()) != null) {
                CRC32 crc = new CRC32();
                long total = 0;
                int n;
                while ((n = zin.read(buf)) > 0) {
                    crc.update(buf, 0, n);
                    total += n;
                }
                System.out.printf("%s\t%d\t%08x%n", e.getName(), total, crc.getValue());
            }
        }
    }
}
