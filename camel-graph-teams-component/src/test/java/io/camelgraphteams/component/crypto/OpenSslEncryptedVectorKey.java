package io.camelgraphteams.component.crypto;

/**
 * The vector's private key as OpenSSL 3.0 encrypts it by default, to prove the loader reads real OpenSSL output and
 * not only what our own test support writes. Produced with
 * {@code openssl pkcs8 -topk8 -in private-key.pkcs8.pem -passout pass:openssl-Pa55} (PBES2, PBKDF2-HmacSHA256,
 * AES-256-CBC). The key is Microsoft's published dummy key, so nothing secret is embedded.
 */
final class OpenSslEncryptedVectorKey {

    static final String PASSWORD = "openssl-Pa55";

    static final String PEM = """
            -----BEGIN ENCRYPTED PRIVATE KEY-----
            MIIJrTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQITY16dWBCOfUCAggA
            MAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBDJt1RtqP6MAnMWBs8nKg2LBIIJ
            UFNN+dSjjV8PX1iQ83SvAVNV30p1xxNk9eT+YReO3uZnXDCGl1sx+HJmHyOiAZI9
            cG+HmCbuysmJ6LqzuJg3PZVfk7fxCM8G/GmUgXvdh0YnI5sTC/oyPUxaC5/zBU0l
            KZabXSJg1tIH1/hcyA1VmPoM3php6tIS0Cvymn3BpyB6Os6PoiBIUt9esr4gXFAP
            VeUHl9n2McVFiX4LOsQ/JyVAsjClWKcPNEhCJMc5hqyX8CLClrlDxLERYhFhUsth
            UZ+f2KEREUBlwvkaQHAXQAOJj+1dqzWOPxPP/fU2IdQFCKrQ/x8FTtp3cojNvVOT
            5GxFBVWIKpiTw/Y5jrWT2CAdWwoDaDY5ylGKMvlI+GThZsZProbZ8mSUFI7Jn7m4
            a6Z7CeVO7xdwGVfmIRBOjeRDniEsAs1hrWEcIXXKBB8Y/kXRlLHeZjta/8HwisbH
            Efz2moKenOmjB8P6jlqVTCf8g5/5xdSsm0Xaf6ghvYNTIcakR0fWcdd4BiOE1plC
            I+FgvuyeA9r1BqCa0f4BPRolQ2GAZGslDKMOIvan/zfMnhXs6QzSM5mDwiK7TqMF
            yKAIpnKi3zQx7d0OuWjyNIQtrVMngppP/PU3wAK1wDuWVpGGevDo20e8F3yOEzYU
            JJUdRxqgov13UcTeGMFrt6BJNoq03bCw5IMkGGuOyzBoXLdiP7RoR0+RbFDwEQ6f
            DIuc8dJ+EB2yIA0fkM0CS8OvoCWz5eQ09p5BUL6og3xXXKJUfmJ6uqDuXV+GwbxD
            V99D8w+ApfWJ7v4P4UYyYnCx8lpFR/z54XaMAodIXhlYdzo17r+NC9LhY2SuebVA
            SQ61Xxm1puTANVgkt1rqRnK+Ne8g/72qxxJNQb9wV+sWG2NmfR655sHIfCizgywO
            9O4JjK8ZSzNIRmJ6Yem5apph6kQ31jB6WrnkXvRKFOfUpz3Q6zTRaUKovpZovPRA
            eWj7Qdx62HY4XuXVSjOFa6wsAYZWvsGzNbovSdfTotDy/8zRzDOhwRnKTmK5iMFp
            rlp19KPyOTx+pbcZ32+RenNMnyjG0cjowB84zSme21N6D9BzX2yFPB7gywzth3nR
            ClkRkg2ezzfi+Vd6ET6PhgrVZGA2AwuoWWxAb1cX9iXyhCx1eSg6TAsEWJ8NtMQc
            Hfi1duOlreI8kut5VouAcxNsZmWR/HHltXCZMskLw2tUayHeLCT8PqVg8EWDxBAu
            +P7OiwaYbpucvnJ3yV5hCfNwsr3hYy0iTTJnyjxgfqlGAW7aM0ymT+fo8zLztlHS
            Az2dMuwBwrHulXDLfADQ4R9ZCBANddX9JcdSKm3C2513wvWkba4yizCtaDERfPU8
            8lNposnSXPqUJa8HrzBWZatakUBrDLC0gSQKCsx1BPMmcyH1OHsyafOxAUMtY05k
            A4o+73SaAxTu6hURMaLMjhtxtkz7A7oQDBVMHIoUNO1zLrM63nR66P1Cya6vi4yJ
            ndg5flGLfF9qOZ95qasLOqsBKmyuQ8I49fmmUG6X8Ic1mZHny0yyjc/5z5rXIPGd
            s2T6Z85feUVNkCryTv19pC//Tpm6GUrBwP3G2eYVJo7Tk4MWBOXymcn5Yhxq7z80
            mX2OQ9lWDOhpOd4Fycw2MpCK7Ob2Rmh51N+fWFohGLWdH0tQpsMoVgRvopqnmcrv
            ZSkPYzxyBCBRAUcuoO+Ei7NauIMw209nAnAIgvu2qZoP4AD7i2FITl/aIP2vNEDo
            kJgAASBzbrlDGLxl4PVxeAxS+/CwEA9NzdWKks9wHxx2xeR3idA9P/+X4xfhZw+4
            NlN+Qhm47ZI6pHE+Vrv2UEHVpcu22JIy3k3Yo4AKsg5YwwkerFugq4YIOpiefEOx
            sbDyGlBo/JHeCrFbI6S5AygqjfuMrXYo+OpSHMdt8amE+e4u/OGJjPdJ0XwH+9b1
            WG1nSiAr0ESh+22UtbTubS3AOQruo+n0EINxLBYQmua4eLnNh9lgCgot36UsZMZx
            sVbX566ZqG02Fibice7mRIqbnUUGsrc89Zdh6ojhmMrzfXtzcPQSYmjM3YDJm0sM
            7/G5GlwAe1Mr7GDVb+wxJ464b6tNfnIkoXFLN6N5icp5TZdhiEfeDFzr/KLmq3ea
            TXFRZhm9lP75wIiEcQX9QrS/FN8XzxltjzAJq1B/e/XhaZlo3HLI2n/Wfc3AMEgG
            TjhgWjO5ekoH1sDkbSfh/k/p4VePNqIdWwIC5HrLo8R+DacGQRZZzU/ytkfujIvA
            4uUl5lO+p9jHmsWcqnbz/ktK98XU0ZvVKzCs1yFmIW/FlTJORr/VgxrTSph4CSJN
            VCyEA3VapdZGUgHCGRcNVGGjNg1+gCHKAct3Y2QTQoIpls9mvaxQUQ69RME0M2u2
            02LdS6pw+tETuB9A/gQl2SpdInFfec3H4MjvHRfA+RnT8Z5PezYiDVTbk5kPF2YO
            ejUuSEPzxVgkIp24V9cipp0U6g+78rBo9KvK8V7UK8v3vJMD4ePrFb9PrYi69jNY
            0/4dUSX6ZGjFX5poTHnemLgZQDcVHA7KyGv79QzUEIz/4R/yGXiSQTM0yoLYqvPP
            yJIdHmYpfKEMtJqiTFFWNoyeRQOahzrHtAXrqFuwW0qsTDIc1vue5KrLyzD0BSzP
            ocHZZZo+VS2gxo4DvcBtUhpGMvhvJqG2NzwwFKqmjQrX62MaTdWoj1kMaNp6Ugrx
            9hK4rPtGf4lijUPTsvKWVBEpzAAA6N6UttTHrMVsNMhtDGRM2e1ZMHaPU1mpR7KE
            xpY/nVpGrJKNUnbYQBZRMq6AJCx1jjqFVVN6Dwe+QSGFQ5f9i2Jqmb8adpBcIWWe
            bFeaH0VcEepiYmXtFN+Y1GXBdFTm1V2ElXpIoEXghfiIDJGC8p1g0HHM9u4fX/hx
            xxTjlkuoiMttKQbkJv0rQdbGOuw+6qFUBbcxvJ4iF0xvONPrlZDfFHWsA82uhf8Q
            w/GQT4M0rDPmr54kYYcccSy2kzYUHQ6CPrPuOPO+r1ewPhJdX2kXebp8mzjZPkGy
            IOva8ISttVv3DCzv0DCgw1LR5JVJyuwnKzuOEL+ypvftofj2r+4egLB16e3p3sYt
            oPR0Uq9f1hfIPTb1GTLsoE/uGRvc5g1SqiUmDFY7YXGk4Gr9Zi0oDyoCgUbegxKZ
            bQTi4d50yrkkxlx5NaKy+yfDTPrAV/cabEYA3NYfKrcy
            -----END ENCRYPTED PRIVATE KEY-----
            """;

    private OpenSslEncryptedVectorKey() {
    }
}
