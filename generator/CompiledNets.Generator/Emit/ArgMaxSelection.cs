using System.Collections.Generic;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// The running maximum of a window's values and the window position it came from, per channel segment: what
/// max pooling records for its backward pass, alone or fused into the convolution before it. The first maximum
/// wins on ties (a later value must be strictly greater), as in PyTorch.
/// </summary>
internal static class ArgMaxSelection
{
    /// <summary>
    /// Declares <c>best</c> and <c>bestAt</c> for segment <paramref name="s"/> over <paramref name="candidates"/>
    /// (window position, value expression, comment), in window order.
    /// </summary>
    /// <remarks>
    /// Without <paramref name="positions"/> (inference: no backward pass reads them) only <c>best</c> is declared, by
    /// the same comparisons and selections, so the maximum has the same bits as in training.
    /// </remarks>
    public static void Emit(SourceWriter w, Segment s, IReadOnlyList<(int Position, string Value, string Comment)> candidates, bool positions = true)
    {
        if (s.IsScalar)
        {
            w.Line($"float best = {candidates[0].Value};");
            if (positions) w.Line("int bestAt = 0;");
            for (int i = 1; i < candidates.Count; i++)
            {
                var (position, value, comment) = candidates[i];
                w.Line($"float v{position} = {value}; // {comment}");
                w.Line(positions
                    ? $"if (v{position} > best) {{ best = v{position}; bestAt = {position}; }}"
                    : $"if (v{position} > best) best = v{position};");
            }
            return;
        }
        w.Line($"var best = {candidates[0].Value};");
        if (positions) w.Line($"{s.Class}<int> bestAt = {s.Class}<int>.Zero;");
        for (int i = 1; i < candidates.Count; i++)
        {
            var (position, value, comment) = candidates[i];
            w.Line($"var v{position} = {value}; // {comment}");
            w.Line($"var greater{position} = {s.Class}.GreaterThan(v{position}, best);");
            w.Line($"best = {Types.VectorMath}.Select(greater{position}, v{position}, best);");
            if (positions)
                w.Line($"bestAt = {Types.VectorMath}.Select(greater{position}, {s.Class}.Create({position}), bestAt);");
        }
    }

    /// <summary>Stores <c>best</c> (through <paramref name="activate"/>) and, with <paramref name="positions"/>, <c>bestAt</c> at <paramref name="offset"/> of output and argMax.</summary>
    public static void Store(SourceWriter w, Segment s, string offset, System.Func<string, string> activate, bool positions = true)
    {
        w.Line(s.Store(activate("best"), "output", offset));
        if (positions) w.Line(s.Store("bestAt", "argMax", offset));
    }
}
