using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>
/// The segmentation labels: the six-tag scheme B, B2, B3, M, E, S (Zhao et al. 2006), which tells the model how far
/// into a word a character is and segments better than B/M/E/S. A word is S, B E, B B2 E, B B2 B3 E, or B B2 B3 M* E.
/// </summary>
public static class WordLabels
{
    public const int B = 0, B2 = 1, B3 = 2, M = 3, E = 4, S = 5;

    public static LabelSet Labels { get; } = Create();

    /// <summary>Labels that may not end a word / may not start one, for keeping surrogate pairs whole.</summary>
    public const ulong NotEnding = (1UL << B) | (1UL << B2) | (1UL << B3) | (1UL << M);
    public const ulong NotStarting = (1UL << B2) | (1UL << B3) | (1UL << M) | (1UL << E);

    public static bool EndsWord(int label) => label >= E;

    /// <summary>The label of the character at <paramref name="position"/> in a word of <paramref name="length"/> characters.</summary>
    public static int Of(int position, int length) =>
        length == 1 ? S : position == length - 1 ? E : position switch { 0 => B, 1 => B2, 2 => B3, _ => M };

    /// <summary>Writes the labels of one word.</summary>
    public static void Encode(int length, Span<int> labels)
    {
        for (int i = 0; i < length; i++) labels[i] = Of(i, length);
    }

    private static LabelSet Create()
    {
        var allowed = new bool[6, 6];
        allowed[B, B2] = allowed[B, E] = true;
        allowed[B2, B3] = allowed[B2, E] = true;
        allowed[B3, M] = allowed[B3, E] = true;
        allowed[M, M] = allowed[M, E] = true;
        allowed[E, B] = allowed[E, S] = true;
        allowed[S, B] = allowed[S, S] = true;
        bool[] first = [true, false, false, false, false, true];
        bool[] last = [false, false, false, false, true, true];
        return new LabelSet(["B", "B2", "B3", "M", "E", "S"], allowed, first, last);
    }
}
