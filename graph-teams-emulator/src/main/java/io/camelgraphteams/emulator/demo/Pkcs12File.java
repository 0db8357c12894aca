package io.camelgraphteams.emulator.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** Writes the key and trust stores the demo hands to clients, which read them back as PKCS#12 files. */
final class Pkcs12File {

    private Pkcs12File() {
    }

    /** {@code what} names the store in the error, e.g. "the decryption key store". */
    static Path write(KeyStore store, Path file, String password, String what) {
        try {
            Path directory = file.toAbsolutePath().getParent();
            if (directory != null) {
                Files.createDirectories(directory);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + what + " to " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not write " + what + ": " + e.getMessage(), e);
        }
    }
}
