package io.camelgraphteams.component.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * Decrypts a PBES2-protected PKCS#8 key ("BEGIN ENCRYPTED PRIVATE KEY", what {@code openssl pkcs8 -topk8} writes)
 * with JDK primitives. BouncyCastle only parses the ASN.1: its own decryptors need the BC provider, which this
 * component does not install.
 */
final class Pbes2PrivateKeyDecryption {

    /** PBKDF2 pseudo-random functions OpenSSL offers (-v2prf), by OID. */
    private static final Map<ASN1ObjectIdentifier, String> PBKDF2_BY_PRF = Map.of(
            PKCSObjectIdentifiers.id_hmacWithSHA1, "PBKDF2WithHmacSHA1",
            PKCSObjectIdentifiers.id_hmacWithSHA224, "PBKDF2WithHmacSHA224",
            PKCSObjectIdentifiers.id_hmacWithSHA256, "PBKDF2WithHmacSHA256",
            PKCSObjectIdentifiers.id_hmacWithSHA384, "PBKDF2WithHmacSHA384",
            PKCSObjectIdentifiers.id_hmacWithSHA512, "PBKDF2WithHmacSHA512");

    private record ContentCipher(String transformation, String keyAlgorithm, int keyBytes) {
    }

    /** CBC ciphers OpenSSL offers for PBES2 (-v2), by OID. */
    private static final Map<ASN1ObjectIdentifier, ContentCipher> CIPHERS = Map.of(
            NISTObjectIdentifiers.id_aes128_CBC, new ContentCipher("AES/CBC/PKCS5Padding", "AES", 16),
            NISTObjectIdentifiers.id_aes192_CBC, new ContentCipher("AES/CBC/PKCS5Padding", "AES", 24),
            NISTObjectIdentifiers.id_aes256_CBC, new ContentCipher("AES/CBC/PKCS5Padding", "AES", 32),
            PKCSObjectIdentifiers.des_EDE3_CBC, new ContentCipher("DESede/CBC/PKCS5Padding", "DESede", 24));

    private static final String REENCRYPT = "; re-encrypt it with openssl pkcs8 -topk8 -v2 aes-256-cbc";

    private Pbes2PrivateKeyDecryption() {
    }

    /**
     * @param what names the option and location for messages
     * @throws IllegalArgumentException for an unsupported scheme or a wrong password
     */
    static PrivateKeyInfo decrypt(EncryptedPrivateKeyInfo encrypted, char[] password, String what) {
        ASN1ObjectIdentifier scheme = encrypted.getEncryptionAlgorithm().getAlgorithm();
        if (!PKCSObjectIdentifiers.id_PBES2.equals(scheme)) {
            throw new IllegalArgumentException(what + " is encrypted with " + scheme + ", not PBES2" + REENCRYPT);
        }
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(encrypted.getEncryptionAlgorithm().getParameters());
        KeyDerivationFunc kdf = pbes2.getKeyDerivationFunc();
        if (!PKCSObjectIdentifiers.id_PBKDF2.equals(kdf.getAlgorithm())) {
            throw new IllegalArgumentException(what + " derives its key with " + kdf.getAlgorithm()
                                               + ", not PBKDF2" + REENCRYPT);
        }
        PBKDF2Params kdfParams = PBKDF2Params.getInstance(kdf.getParameters());
        String pbkdf2 = PBKDF2_BY_PRF.get(kdfParams.getPrf().getAlgorithm());
        EncryptionScheme encryptionScheme = pbes2.getEncryptionScheme();
        ContentCipher cipher = CIPHERS.get(encryptionScheme.getAlgorithm());
        if (pbkdf2 == null || cipher == null) {
            throw new IllegalArgumentException(what + " uses PBKDF2 PRF " + kdfParams.getPrf().getAlgorithm()
                                               + " with cipher " + encryptionScheme.getAlgorithm()
                                               + ", which this component does not support" + REENCRYPT);
        }
        byte[] iv = ASN1OctetString.getInstance(encryptionScheme.getParameters()).getOctets();
        byte[] derivedKey = null;
        byte[] plaintext = null;
        try {
            derivedKey = SecretKeyFactory.getInstance(pbkdf2)
                    .generateSecret(new PBEKeySpec(password, kdfParams.getSalt(),
                            kdfParams.getIterationCount().intValueExact(), cipher.keyBytes() * 8))
                    .getEncoded();
            Cipher decryption = Cipher.getInstance(cipher.transformation());
            decryption.init(Cipher.DECRYPT_MODE, new SecretKeySpec(derivedKey, cipher.keyAlgorithm()),
                    new IvParameterSpec(iv));
            plaintext = decryption.doFinal(encrypted.getEncryptedData());
            return PrivateKeyInfo.getInstance(plaintext);
        } catch (GeneralSecurityException | IllegalArgumentException | ArithmeticException e) {
            // a wrong password shows up as bad padding or, rarely, as padding that happens to fit over garbage
            throw new IllegalArgumentException("privateKeyPassword does not decrypt " + what
                                               + "; set privateKeyPassword to the password the key was encrypted"
                                               + " with");
        } finally {
            if (derivedKey != null) {
                Arrays.fill(derivedKey, (byte) 0);
            }
            if (plaintext != null) {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }
}
