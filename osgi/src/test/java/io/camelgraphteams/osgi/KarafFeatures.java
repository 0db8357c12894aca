package io.camelgraphteams.osgi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A Karaf features file: its repositories and features, each feature's required features and bundles.
 */
record KarafFeatures(String name, List<String> repositories, Map<String, List<Feature>> featuresByName) {

    /** {@code mvn:g/a/v[/type[/classifier]]}, optionally {@code wrap:}ped with {@code $instructions}. */
    record BundleRef(String url, boolean dependency, String groupId, String artifactId, String version,
                     Map<String, String> wrapInstructions) {

        boolean wrapped() {
            return url.startsWith("wrap:");
        }

        String key() {
            return groupId + ":" + artifactId;
        }

        /** A bundle re-wrapped to amend its own manifest ({@code overwrite=merge}), e.g. to make an import optional. */
        boolean mergedIntoItsManifest() {
            return wrapped() && "merge".equalsIgnoreCase(wrapInstructions.get("overwrite"));
        }

        /** The version the bundle's packages carry: the wrap's Bundle-Version, or the artifact's. */
        String bundleVersion() {
            return wrapInstructions.getOrDefault("Bundle-Version", version);
        }
    }

    record Requirement(String name, String versionRange) {
    }

    record Feature(String name, String version, List<Requirement> requirements, List<BundleRef> bundles) {
    }

    private static final Pattern MVN_URL = Pattern.compile("^(wrap:)?mvn:([^/]+)/([^/$]+)/([^/$]+)(?:/[^$]*)?(?:\\$(.*))?$");

    static KarafFeatures read(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(file.toFile());
        Element root = doc.getDocumentElement();
        List<String> repositories = new ArrayList<>();
        Map<String, List<Feature>> features = new LinkedHashMap<>();
        for (Element child : children(root)) {
            if (child.getLocalName().equals("repository")) {
                repositories.add(child.getTextContent().trim());
            } else if (child.getLocalName().equals("feature")) {
                List<Requirement> requirements = new ArrayList<>();
                List<BundleRef> bundles = new ArrayList<>();
                for (Element e : children(child)) {
                    if (e.getLocalName().equals("feature")) {
                        requirements.add(new Requirement(e.getTextContent().trim(), e.getAttribute("version")));
                    } else if (e.getLocalName().equals("bundle")) {
                        bundles.add(bundle(e.getTextContent().trim(), Boolean.parseBoolean(e.getAttribute("dependency"))));
                    }
                }
                Feature feature = new Feature(child.getAttribute("name"), child.getAttribute("version"), requirements, bundles);
                features.computeIfAbsent(feature.name(), n -> new ArrayList<>()).add(feature);
            }
        }
        return new KarafFeatures(root.getAttribute("name"), repositories, features);
    }

    static BundleRef bundle(String url, boolean dependency) {
        Matcher m = MVN_URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a mvn: bundle URL: " + url);
        }
        Map<String, String> instructions = new LinkedHashMap<>();
        if (m.group(5) != null) {
            for (String instruction : m.group(5).split("&")) {
                int eq = instruction.indexOf('=');
                instructions.put(instruction.substring(0, eq), instruction.substring(eq + 1));
            }
        }
        return new BundleRef(url, dependency, m.group(2), m.group(3), m.group(4), instructions);
    }

    Optional<Feature> feature(String name) {
        List<Feature> all = featuresByName.getOrDefault(name, List.of());
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The names of the feature and of every feature it requires, transitively, that this file defines. */
    Set<String> closure(String name) {
        Set<String> seen = new LinkedHashSet<>();
        collect(name, seen);
        return seen;
    }

    private void collect(String name, Set<String> seen) {
        if (!seen.add(name)) {
            return;
        }
        for (Feature feature : featuresByName.getOrDefault(name, List.of())) {
            for (Requirement requirement : feature.requirements()) {
                collect(requirement.name(), seen);
            }
        }
    }

    List<BundleRef> bundlesOf(Set<String> featureNames) {
        List<BundleRef> bundles = new ArrayList<>();
        for (String name : featureNames) {
            for (Feature feature : featuresByName.getOrDefault(name, List.of())) {
                bundles.addAll(feature.bundles());
            }
        }
        return bundles;
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e) {
                elements.add(e);
            }
        }
        return elements;
    }
}
