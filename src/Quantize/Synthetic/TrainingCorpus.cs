namespace Appliance.Quantize.Synthetic;

/// <summary>
/// A few paragraphs of ordinary English the generated tokenizer learns its first merges from, so common words
/// become single tokens and tests see realistic multi-byte tokens. Written for this project.
/// </summary>
internal static class TrainingCorpus
{
    public const string Text = """
        The appliance is a small box on the local network. It answers questions without a connection to the internet.
        A person asks a question, the box thinks for a moment, and then the answer appears one word at a time.
        The user writes a message and the assistant writes a reply. The system message tells the assistant how to behave.
        When the answer is complete, the box reports how many tokens it read and how many tokens it wrote.
        Machines in the factory and lights in the house can talk to the box over the network.
        There is a button on the front of the box and there are three lights that show what the box is doing.
        Green means ready, yellow means busy, and red means that something went wrong and needs attention.
        The model turns text into tokens, tokens into numbers, and numbers back into text that people can read.
        Every request has an identifier, a prompt or a list of messages, and a limit on the number of new tokens.
        The temperature controls how surprising the next word may be; a lower temperature gives a calmer answer.
        This tokenizer was generated for testing. Its model has random weights, so what it writes has no meaning.
        Numbers such as 1, 2, 3, 10, 42, 100, 2024 and 65536 appear in questions about time, size and memory.
        "Hello, world!" said the first program. What is the weather like today? How long does the battery last?
        """;
}
