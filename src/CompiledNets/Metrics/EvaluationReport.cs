using System;
using System.Globalization;
using System.Text;

namespace CompiledNets;

/// <summary>Lays an <see cref="Evaluation"/> out as plain-text tables (invariant culture, fixed-width columns).</summary>
internal static class EvaluationReport
{
    public static string Format(Evaluation e)
    {
        var text = new StringBuilder();
        string loss = double.IsNaN(e.Loss) ? "n/a" : e.Loss.ToString("0.0000", CultureInfo.InvariantCulture);
        text.Append(CultureInfo.InvariantCulture, $"Loss: {loss}  Accuracy: {e.Accuracy:0.0000} ({e.Correct}/{e.Count})").AppendLine();
        text.AppendLine();
        AppendConfusionMatrix(text, e);
        text.AppendLine();
        AppendClassTable(text, e);
        return text.ToString();
    }

    private static void AppendConfusionMatrix(StringBuilder text, Evaluation e)
    {
        const string corner = "true\\pred";
        int classes = e.ClassCount;
        // Wide enough for the largest count and the largest class index.
        int width = Math.Max(Digits(e.Count), Digits(classes - 1)) + 2;
        text.AppendLine("Confusion matrix (rows: true class, columns: predicted class)");
        text.Append(corner);
        for (int p = 0; p < classes; p++) text.Append(Pad(p, width));
        text.AppendLine();
        for (int t = 0; t < classes; t++)
        {
            text.Append(Pad(t, corner.Length));
            for (int p = 0; p < classes; p++) text.Append(Pad(e.ConfusionMatrix[t, p], width));
            text.AppendLine();
        }
    }

    private static void AppendClassTable(StringBuilder text, Evaluation e)
    {
        int supportWidth = Math.Max(Digits(e.Count), "support".Length) + 2;
        text.Append("class".PadLeft(9)).Append("precision".PadLeft(11)).Append("recall".PadLeft(9))
            .Append("f1".PadLeft(9)).Append("support".PadLeft(supportWidth)).AppendLine();
        for (int c = 0; c < e.ClassCount; c++)
        {
            AppendRow(text, c.ToString(CultureInfo.InvariantCulture), e.Precision[c], e.Recall[c], e.F1[c], e.Support[c], supportWidth);
        }
        AppendRow(text, "macro", e.MacroPrecision, e.MacroRecall, e.MacroF1, e.Count, supportWidth);
    }

    private static void AppendRow(StringBuilder text, string label, double precision, double recall, double f1, int support, int supportWidth)
    {
        text.Append(label.PadLeft(9))
            .Append(precision.ToString("0.0000", CultureInfo.InvariantCulture).PadLeft(11))
            .Append(recall.ToString("0.0000", CultureInfo.InvariantCulture).PadLeft(9))
            .Append(f1.ToString("0.0000", CultureInfo.InvariantCulture).PadLeft(9))
            .Append(support.ToString(CultureInfo.InvariantCulture).PadLeft(supportWidth))
            .AppendLine();
    }

    private static string Pad(int value, int width) => value.ToString(CultureInfo.InvariantCulture).PadLeft(width);

    private static int Digits(int value) => value.ToString(CultureInfo.InvariantCulture).Length;
}
