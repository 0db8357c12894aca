package io.camelgraphteams.osgi;

import java.util.Arrays;

/**
 * An OSGi version range ({@code [1.2,2)}, {@code (1,2]}, or a bare version meaning "at least"), with the OSGi
 * ordering of major.minor.micro.qualifier. Maven's "-SNAPSHOT" is read as the qualifier it becomes in a bundle.
 */
record OsgiVersionRange(String floor, boolean floorIncluded, String ceiling, boolean ceilingIncluded) {

    static OsgiVersionRange parse(String range) {
        String r = range.trim();
        if (r.startsWith("[") || r.startsWith("(")) {
            String[] bounds = r.substring(1, r.length() - 1).split(",");
            return new OsgiVersionRange(bounds[0].trim(), r.startsWith("["), bounds[1].trim(), r.endsWith("]"));
        }
        return new OsgiVersionRange(r, true, null, false);
    }

    boolean includes(String version) {
        int low = compare(version, floor);
        if (low < 0 || low == 0 && !floorIncluded) {
            return false;
        }
        if (ceiling == null) {
            return true;
        }
        int high = compare(version, ceiling);
        return high < 0 || high == 0 && ceilingIncluded;
    }

    static int compare(String a, String b) {
        String[] x = normalize(a);
        String[] y = normalize(b);
        for (int i = 0; i < 3; i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return x[3].compareTo(y[3]);
    }

    private static String[] normalize(String version) {
        String v = version.trim().replace('-', '.');
        String[] parts = v.split("\\.", 4);
        String[] out = Arrays.copyOf(parts, 4);
        for (int i = 0; i < 4; i++) {
            if (out[i] == null) {
                out[i] = i < 3 ? "0" : "";
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return ceiling == null ? floor : (floorIncluded ? "[" : "(") + floor + "," + ceiling + (ceilingIncluded ? "]" : ")");
    }
}
