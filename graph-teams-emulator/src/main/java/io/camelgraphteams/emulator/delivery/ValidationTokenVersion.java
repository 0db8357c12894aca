package io.camelgraphteams.emulator.delivery;

/** The claim form of validationTokens: Graph sends both (v2 seen on /teams/getAllMessages). */
public enum ValidationTokenVersion {
    /** ver 1.0, iss https://sts.windows.net/{tid}/, caller in appid */
    V1,
    /** ver 2.0, iss https://login.microsoftonline.com/{tid}/v2.0, caller in azp */
    V2
}
