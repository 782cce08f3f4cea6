using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CompiledNets.Generator.Emit;

/// <summary>Small helpers that build C# expressions, keeping constant offsets folded and readable.</summary>
internal static class Code
{
    /// <summary>"a + 3", "a", "3": <paramref name="expression"/> plus a constant, folded (see <see cref="Sum"/>).</summary>
    public static string Plus(string expression, int constant) => Sum(expression, Int(constant));

    /// <summary>
    /// The sum of <paramref name="terms"/> (each a literal or an expression without a top-level minus) with
    /// every literal part added into one constant at the end: Sum("ic * 32 + 64", "16") is "ic * 32 + 80".
    /// "0" when nothing is left.
    /// </summary>
    public static string Sum(params string[] terms)
    {
        var symbolic = new List<string>();
        long constant = 0;
        foreach (string term in terms.SelectMany(t => SplitTopLevel(t)))
        {
            if (long.TryParse(term, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long literal))
                constant += literal;
            else if (term.Length > 0)
                symbolic.Add(term);
        }
        if (constant != 0 || symbolic.Count == 0) symbolic.Add(Int(constant));
        return string.Join(" + ", symbolic);
    }

    /// <summary>An element offset as the <c>nuint</c> that <c>LoadUnsafe</c> takes (literals stay literal).</summary>
    public static string Native(string offset)
    {
        if (int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out _)) return offset;
        return IsSimple(offset) ? $"(nuint){offset}" : $"(nuint)({offset})";
    }

    /// <summary>"a * b", or "0" when <paramref name="factor"/> is the literal 0 (a block at offset 0).</summary>
    public static string Times(string factor, string other) => factor == "0" ? "0" : $"{factor} * {other}";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Float(float value) => value.ToString("G9", CultureInfo.InvariantCulture) + "f";

    /// <summary>True for an identifier, literal or call: no space outside parentheses.</summary>
    private static bool IsSimple(string expression)
    {
        int depth = 0;
        foreach (char c in expression)
        {
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ' ' && depth == 0) return false;
        }
        return true;
    }

    /// <summary>The "+"-separated terms of an expression at parenthesis depth 0.</summary>
    private static IEnumerable<string> SplitTopLevel(string expression)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < expression.Length; i++)
        {
            char c = expression[i];
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == '+' && depth == 0)
            {
                yield return expression.Substring(start, i - start).Trim();
                start = i + 1;
            }
        }
        yield return expression.Substring(start).Trim();
    }
}
