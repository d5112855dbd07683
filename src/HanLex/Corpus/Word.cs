namespace HanLex.Corpus;

/// <summary>One unit of a segmented sentence: its text, its tag (null when untagged) and its offset in the sentence text.</summary>
public readonly record struct Word(string Text, string? Tag, int Offset)
{
    public int End => Offset + Text.Length;

    public override string ToString() => Tag is null ? Text : $"{Text}/{Tag}";
}
