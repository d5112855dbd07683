namespace HanLex.Corpus;

/// <summary>A bracketed group <c>[w/t w/t]/label</c>: a range of a sentence's words plus its label.</summary>
public readonly record struct Compound(int Start, int Count, string Label)
{
    public int End => Start + Count;
}
