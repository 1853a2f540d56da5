package io.tusk.memory.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generator of short personal facts, the kind an agent remembers ("Maya's sister lives in Lisbon and works as
 * a nurse."): varied enough that 100,000 of them embed into a realistic, clustered cloud, with no data set to
 * download.
 */
public final class SyntheticFacts {

    static final String[] NAMES = {"Maya", "Liam", "Noah", "Olivia", "Emma", "Ava", "Lucas", "Mia", "Ethan", "Zoe",
            "Arjun", "Priya", "Kenji", "Yuki", "Sofia", "Mateo", "Chloe", "Omar", "Leila", "Hugo", "Ingrid", "Sven",
            "Amara", "Kofi", "Nadia", "Ivan", "Elena", "Tomas", "Grace", "Daniel", "Ruth", "Felix", "Clara", "Jonas",
            "Aisha", "Samir", "Hana", "Mei", "Wei", "Rosa", "Diego", "Nora", "Oscar", "Lena", "Paul", "Irene"};
    static final String[] RELATIONS = {"sister", "brother", "mother", "father", "best friend", "manager", "neighbor",
            "cousin", "daughter", "son", "partner", "colleague", "roommate", "grandmother", "uncle", "aunt"};
    static final String[] CITIES = {"Lisbon", "Berlin", "Tokyo", "Nairobi", "Toronto", "Seoul", "Madrid", "Oslo",
            "Lima", "Cairo", "Sydney", "Dublin", "Prague", "Mumbai", "Austin", "Denver", "Kyoto", "Porto", "Lyon",
            "Vienna", "Bogota", "Accra", "Hanoi", "Zurich", "Helsinki", "Chicago", "Boston", "Seattle", "Naples"};
    static final String[] JOBS = {"nurse", "teacher", "software engineer", "architect", "chef", "pilot", "lawyer",
            "photographer", "carpenter", "data analyst", "dentist", "journalist", "pharmacist", "gardener", "violinist",
            "electrician", "accountant", "veterinarian", "translator", "firefighter", "baker", "biologist"};
    static final String[] HOBBIES = {"rock climbing", "knitting", "chess", "salsa dancing", "bird watching",
            "pottery", "marathon running", "sailing", "baking sourdough", "playing the cello", "woodworking",
            "scuba diving", "painting watercolors", "collecting vinyl records", "growing tomatoes", "yoga",
            "surfing", "reading science fiction", "cycling", "photography", "learning Japanese", "board games"};
    static final String[] FOODS = {"spicy ramen", "mushroom risotto", "lemon tart", "grilled sardines", "pad thai",
            "dark chocolate", "falafel", "blueberry pancakes", "sushi", "lentil soup", "tacos al pastor", "paella",
            "goat cheese", "green curry", "apple pie", "dumplings", "peanut butter", "oat milk", "black coffee"};
    static final String[] PETS = {"a grey cat", "a beagle", "two parrots", "a golden retriever", "a rabbit",
            "a tortoise", "three goldfish", "a husky", "a hamster", "a black labrador"};
    static final String[] TEMPLATES = {
            "%1$s's %2$s lives in %3$s and works as a %4$s.",
            "%1$s picked up %5$s last spring with their %2$s.",
            "%1$s is allergic to %6$s, so avoid it when cooking for them.",
            "%1$s's favorite food is %6$s from a small place in %3$s.",
            "%1$s has %7$s and takes them to the park on weekends.",
            "%1$s moved to %3$s to start a new job as a %4$s.",
            "%1$s's %2$s is visiting from %3$s next month.",
            "%1$s spends Sunday mornings %5$s.",
            "%1$s wants to travel to %3$s to try %6$s.",
            "%1$s's %2$s recommended a %4$s they know in %3$s.",
            "%1$s stopped %5$s after an injury and now prefers quiet evenings.",
            "For %1$s's birthday, the %2$s organised a trip to %3$s.",
    };

    private SyntheticFacts() {
    }

    /** {@code count} distinct facts from {@code seed}. */
    public static List<String> generate(int count, long seed) {
        Random random = new Random(seed);
        Set<String> facts = new LinkedHashSet<>();
        while (facts.size() < count) {
            facts.add(one(random) + suffix(random));
        }
        return new ArrayList<>(facts);
    }

    static String one(Random random) {
        return String.format(TEMPLATES[random.nextInt(TEMPLATES.length)], pick(random, NAMES),
                pick(random, RELATIONS), pick(random, CITIES), pick(random, JOBS), pick(random, HOBBIES),
                pick(random, FOODS), pick(random, PETS));
    }

    /** A few facts get a detail, so that near-identical templates still differ in content. */
    private static String suffix(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> " Mentioned in " + (2015 + random.nextInt(11)) + ".";
            case 1 -> " It came up " + (1 + random.nextInt(30)) + " days ago.";
            default -> "";
        };
    }

    static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
