namespace HanLex.Evaluation;

/// <summary>Counts behind precision, recall and F1. Figures are percentages (0–100), as the field reports them.</summary>
public struct Prf
{
    public long Correct;
    public long Gold;
    public long Pred;

    public readonly double Precision => Pred == 0 ? 0 : 100.0 * Correct / Pred;
    public readonly double Recall => Gold == 0 ? 0 : 100.0 * Correct / Gold;
    public readonly double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public void Add(Prf other)
    {
        Correct += other.Correct;
        Gold += other.Gold;
        Pred += other.Pred;
    }

    public override readonly string ToString() => $"P {Precision:F2}  R {Recall:F2}  F1 {F1:F2}  (gold {Gold}, pred {Pred}, correct {Correct})";
}
