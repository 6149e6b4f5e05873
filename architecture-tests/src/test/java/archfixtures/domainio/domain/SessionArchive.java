package archfixtures.domainio.domain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

public final class SessionArchive {

    public String load(Path file) throws IOException {
        return Files.readString(file);
    }
}
