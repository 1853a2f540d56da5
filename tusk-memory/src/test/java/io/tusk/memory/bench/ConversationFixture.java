package io.tusk.memory.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A seeded fixture in the shape of long-conversation memory benchmarks (LongMemEval, LoCoMo): many chat sessions in
 * which a user mentions facts about their life among small talk, and later questions, worded differently, whose
 * answer is a fact from an earlier session. Some facts are updated in a later session ("knowledge update"): the
 * question's answer is then the latest statement.
 */
public final class ConversationFixture {

    /** One remembered turn; {@code factId} is non-null for turns that state a fact. */
    public record Turn(int session, String text, String factId) {
    }

    /** A question and the fact whose latest statement answers it. */
    public record Question(String text, String factId, String kind) {
    }

    public record Fixture(List<Turn> turns, List<Question> questions) {
    }

    private static final String[][] FACTS = {
            {"My %s %s just moved to %s.", "Which city does my %s %s live in now?"},
            {"I adopted %s and named it %s.", "What did I name %s I adopted?"},
            {"I started a new job as a %s at a company called %s.", "What is my role at %s?"},
            {"I'm allergic to %s, it makes me really sick.", "Which food should I avoid because of an allergy? (%s)"},
            {"Every %s I go %s with friends.", "What do I do with friends every %s?"},
    };
    private static final String[] SMALL_TALK = {
            "Can you suggest a quick recipe for dinner tonight?", "Thanks, that was really helpful!",
            "What's a good way to stay focused while working from home?", "Tell me a fun fact about octopuses.",
            "How long should I boil an egg for a soft yolk?", "Any tips for sleeping better?",
            "What's the difference between weather and climate?", "Recommend a podcast about history.",
            "How do I politely decline a meeting invitation?", "What are some easy stretches for my back?",
            "Explain compound interest like I'm twelve.", "Which houseplants survive with little light?",
    };
    private static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
            "Sunday"};
    private static final String[] COMPANIES = {"Northwind", "Bluepeak", "Orbital Labs", "Greenleaf", "Quantix",
            "Harbor & Co", "Sunforge", "Lumen Works", "Redwood Analytics", "Pinecrest", "Nimbus", "Tidewater"};

    private ConversationFixture() {
    }

    /**
     * @param sessions        chat sessions
     * @param factsPerSession fact statements per session (the rest is small talk)
     * @param smallTalk       small-talk turns per session
     * @param updateShare     share of facts restated with a new value in a later session
     */
    public static Fixture generate(int sessions, int factsPerSession, int smallTalk, double updateShare, long seed) {
        Random random = new Random(seed);
        List<Turn> turns = new ArrayList<>();
        List<Question> questions = new ArrayList<>();
        int factNumber = 0;
        List<String[]> updatable = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            List<Turn> session = new ArrayList<>();
            for (int f = 0; f < factsPerSession; f++) {
                String factId = "f" + factNumber++;
                String[] fact = fact(random, factNumber);
                session.add(new Turn(s, fact[0], factId));
                questions.add(new Question(fact[1], factId, "single-session"));
                if (random.nextDouble() < updateShare) {
                    updatable.add(new String[] {factId, fact[2]});
                }
            }
            for (int t = 0; t < smallTalk; t++) {
                session.add(new Turn(s, SMALL_TALK[random.nextInt(SMALL_TALK.length)] + " (" + s + "." + t + ")",
                        null));
            }
            // Knowledge updates land in a later session than the fact they change.
            if (!updatable.isEmpty() && s > 0 && random.nextBoolean()) {
                String[] update = updatable.remove(random.nextInt(updatable.size()));
                session.add(new Turn(s, update[1], update[0]));
                for (int i = 0; i < questions.size(); i++) {
                    if (questions.get(i).factId().equals(update[0])) {
                        questions.set(i, new Question(questions.get(i).text(), update[0], "knowledge-update"));
                    }
                }
            }
            Collections.shuffle(session, random);
            turns.addAll(session);
        }
        return new Fixture(turns, questions);
    }

    /** {statement, question, updated statement}; names carry the fact number so each answer is unique. */
    private static String[] fact(Random random, int n) {
        String name = SyntheticFacts.pick(random, SyntheticFacts.NAMES) + "-" + n;
        String relation = SyntheticFacts.pick(random, SyntheticFacts.RELATIONS);
        return switch (random.nextInt(FACTS.length)) {
            case 0 -> new String[] {
                    String.format(FACTS[0][0], relation, name, SyntheticFacts.pick(random, SyntheticFacts.CITIES)),
                    String.format(FACTS[0][1], relation, name),
                    String.format("Update: my %s %s has relocated again, now to %s.", relation, name,
                            SyntheticFacts.pick(random, SyntheticFacts.CITIES))};
            case 1 -> {
                String pet = SyntheticFacts.pick(random, SyntheticFacts.PETS);
                yield new String[] {String.format(FACTS[1][0], pet, name), String.format(FACTS[1][1], pet),
                        String.format("I renamed %s, it is called %s-junior now.", pet, name)};
            }
            case 2 -> {
                String company = COMPANIES[random.nextInt(COMPANIES.length)] + " " + n;
                yield new String[] {
                        String.format(FACTS[2][0], SyntheticFacts.pick(random, SyntheticFacts.JOBS), company),
                        String.format(FACTS[2][1], company),
                        String.format("I got promoted at %s, I'm now the lead %s.", company,
                                SyntheticFacts.pick(random, SyntheticFacts.JOBS))};
            }
            case 3 -> {
                String food = SyntheticFacts.pick(random, SyntheticFacts.FOODS) + " " + n;
                yield new String[] {String.format(FACTS[3][0], food), String.format(FACTS[3][1], n),
                        String.format("Turns out I'm not allergic to %s after all, the test was wrong.", food)};
            }
            default -> {
                String day = DAYS[random.nextInt(DAYS.length)] + " #" + n;
                yield new String[] {
                        String.format(FACTS[4][0], day, SyntheticFacts.pick(random, SyntheticFacts.HOBBIES)),
                        String.format(FACTS[4][1], day),
                        String.format("We changed our %s plans: now we go %s instead.", day,
                                SyntheticFacts.pick(random, SyntheticFacts.HOBBIES))};
            }
        };
    }
}
