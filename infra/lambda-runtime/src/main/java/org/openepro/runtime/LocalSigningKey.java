package org.openepro.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import org.openepro.emulator.ProjectPaths;

/**
 * The local identity provider's RSA key: RS256 tokens for `make token` and the local JWT
 * authorizer. Generated on first use under {@code .local/} at the repository root (gitignored),
 * so the runtime, the token tool and the demo, each in its own JVM, agree on it.
 */
public final class LocalSigningKey {
    static final String FILE_NAME = "jwt-signing-key.pem";
    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;
    private final String keyId;

    private LocalSigningKey(RSAPrivateCrtKey privateKey) {
        this.privateKey = privateKey;
        try {
            this.publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            this.keyId = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(digest)
                    .substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot derive an RSA public key", e);
        }
    }

    /** A key that lives only in this JVM (tests). */
    public static LocalSigningKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new LocalSigningKey(
                    (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate an RSA key", e);
        }
    }

    /** The repository's local key, created on first use. */
    public static LocalSigningKey forRepository() {
        return loadOrCreate(ProjectPaths.root().resolve(".local"));
    }

    /** Reads the key in {@code dir}, or creates it; two JVMs starting at once end up with the same key. */
    public static LocalSigningKey loadOrCreate(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            if (Files.isRegularFile(file)) {
                return read(file);
            }
            Files.createDirectories(dir);
            LocalSigningKey key = generate();
            Path tmp = Files.createTempFile(dir, "key-", ".tmp");
            try {
                restrictToOwner(tmp);
                Files.writeString(tmp, key.pem(), StandardCharsets.US_ASCII);
                // a hard link fails if the file appeared meanwhile: the first writer wins, whole
                Files.createLink(file, tmp);
                return key;
            } catch (FileAlreadyExistsException raced) {
                return read(file);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the local signing key in " + dir, e);
        }
    }

    private static LocalSigningKey read(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        int begin = pem.indexOf(PEM_BEGIN);
        int end = pem.indexOf(PEM_END);
        if (begin < 0 || end < begin) {
            throw new IOException(file + " is not a PKCS#8 PEM private key: delete it to have a new one made");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + PEM_BEGIN.length(), end));
        try {
            return new LocalSigningKey(
                    (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IOException(file + " does not hold an RSA private key: delete it to have a new one made", e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the user profile's ACLs apply
        }
    }

    private String pem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(privateKey.getEncoded());
        return PEM_BEGIN + "\n" + body + "\n" + PEM_END + "\n";
    }

    /** The JWS {@code kid} of tokens signed with this key. */
    public String keyId() {
        return keyId;
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    /** RS256 (RSASSA-PKCS1-v1_5 with SHA-256). */
    public byte[] sign(byte[] signingInput) {
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(privateKey);
            rs256.update(signingInput);
            return rs256.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the local key", e);
        }
    }

    /** Whether {@code signature} is this key's RS256 signature of {@code signingInput}. */
    public boolean verify(byte[] signingInput, byte[] signature) {
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(publicKey);
            rs256.update(signingInput);
            return rs256.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The modulus, for tests that compare keys without exposing the private part. */
    BigInteger modulus() {
        return publicKey.getModulus();
    }
}
