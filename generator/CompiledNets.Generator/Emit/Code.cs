using System.Globalization;

namespace CompiledNets.Generator.Emit;

/// <summary>Small helpers that build C# expressions, keeping constant offsets readable.</summary>
internal static class Code
{
    /// <summary>"a + 3", "a", "3" or "0", folding zero terms.</summary>
    public static string Plus(string expression, int constant)
    {
        if (int.TryParse(expression, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int literal))
            return Int(literal + constant);
        bool isZero = expression is "";
        if (isZero) return Int(constant);
        if (constant == 0) return expression;
        return constant > 0 ? $"{expression} + {Int(constant)}" : $"{expression} - {Int(-constant)}";
    }

    /// <summary>"a + b + c" without the terms that are "0"; "0" when nothing is left.</summary>
    public static string Sum(params string[] terms)
    {
        var kept = System.Array.FindAll(terms, t => t is not ("" or "0"));
        return kept.Length == 0 ? "0" : string.Join(" + ", kept);
    }

    /// <summary>An element offset as the <c>nuint</c> that <c>LoadUnsafe</c> takes (constants stay literal).</summary>
    public static string Native(string offset) =>
        int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? offset : $"(nuint)({offset})";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Float(float value) => value.ToString("G9", CultureInfo.InvariantCulture) + "f";
}
