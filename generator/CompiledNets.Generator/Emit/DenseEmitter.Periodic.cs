using System.Collections.Generic;
using System.Linq;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>
/// The forward pass of a dense layer whose units do not fill whole vectors (the seed network's 10): the kernel
/// [in][out] is read as one flat run of vectors. Every lcm(units, width) floats the layout repeats: Period rows
/// of the kernel in Vectors vectors. Each vector is multiplied by the matching input values (a broadcast per row
/// it spans, blended where a row ends inside it) into its own accumulator, and at the end every lane is added
/// to the unit it belongs to. Per row that is one kernel load and about one FMA per vector, where one row at a
/// time needs a vector FMA plus a scalar FMA per leftover unit.
/// </summary>
internal sealed partial class DenseEmitter
{
    /// <summary>Most vectors per period for which the layout is worth unrolling (the registers hold two sets).</summary>
    private const int MaxPeriodVectors = 6;

    /// <summary>Kernel rows per period of the flat layout for <paramref name="path"/>, or 0 when it does not apply.</summary>
    private int PeriodRows(SimdPath path)
    {
        // Only few units (a transposed layer's) that leave a vector part-filled: whole vectors need no period.
        if (!_dense.UsesTransposedKernel || Units % path.Width == 0 || Units > 2 * path.Width) return 0;
        int period = Lcm(Units, path.Width);
        int rows = period / Units;
        return period / path.Width <= MaxPeriodVectors && Inputs >= 2 * rows ? rows : 0;
    }

    private static int Lcm(int a, int b)
    {
        int x = a, y = b;
        while (y != 0) (x, y) = (y, x % y);
        return a / x * b;
    }

    private void EmitForwardPeriodic(SourceWriter w, SimdPath path, int rows)
    {
        string n = Name, vector = path.Whole.Class, type = path.Whole.Type;
        int width = path.Width, vectors = rows * Units / width, step = 2 * rows;
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        w.Line($"ref float bias = ref {Types.Unsafe}.Add(ref parameters, {n}BiasOffset);");
        w.Line($"// Every {rows} kernel rows ({rows * Units} floats) the units line up with the vectors again: {vectors} vectors per period, two periods per step.");
        for (int set = 0; set < 2; set++)
            for (int k = 0; k < vectors; k++)
                w.Line($"var acc{k}_{set} = {type}.Zero;");
        int end = Inputs / step * step;
        w.Line("int i = 0;");
        using (w.Block($"for (; i < {Code.Int(end)}; i += {Code.Int(step)})"))
        {
            w.Line($"ref float rows = ref {Types.Unsafe}.Add(ref kernel, i * {n}Units);");
            // The step's inputs in one vector when they fill it exactly (units with a factor 2 in common with the width).
            bool oneLoad = 2 * rows == width;
            if (oneLoad) w.Line($"var x = {vector}.LoadUnsafe(ref input, (nuint)i);");
            for (int set = 0; set < 2; set++)
            {
                for (int k = 0; k < vectors; k++)
                {
                    string inputs = PeriodInputs(vector, k, width, set, rows, oneLoad);
                    w.Line($"acc{k}_{set} = {Types.VectorMath}.MultiplyAdd({vector}.LoadUnsafe(ref rows, {Code.Int(set * rows * Units + k * width)}), {inputs}, acc{k}_{set});");
                }
            }
        }
        using (w.Block($"for (int unit = 0; unit < {n}Units; unit++)"))
            w.Line($"{Types.Unsafe}.Add(ref output, unit) = {Types.Unsafe}.Add(ref bias, unit);");
        w.Line($"// Each lane to its unit: lane j of vector k holds float k * {Code.Int(width)} + j of the period.");
        for (int k = 0; k < vectors; k++)
        {
            w.Line($"var sum{k} = acc{k}_0 + acc{k}_1;");
            string floatIndex = k == 0 ? "lane" : $"({Code.Plus("lane", k * width)})";
            using (w.Block($"for (int lane = 0; lane < {Code.Int(width)}; lane++)"))
                w.Line($"{Types.Unsafe}.Add(ref output, {floatIndex} % {n}Units) += {vector}.GetElement(sum{k}, lane);");
        }
        if (end < Inputs)
        {
            using (w.Block($"for (; i < {n}Inputs; i++) // the rows left over"))
            using (w.Block($"for (int unit = 0; unit < {n}Units; unit++)"))
                w.Line($"{Types.Unsafe}.Add(ref output, unit) += {Types.Unsafe}.Add(ref input, i) * {Types.Unsafe}.Add(ref kernel, i * {n}Units + unit);");
        }
        string activated = Activate("value");
        if (activated != "value")
        {
            using (w.Block($"for (int unit = 0; unit < {n}Units; unit++)"))
            {
                w.Line($"ref float value = ref {Types.Unsafe}.Add(ref output, unit);");
                w.Line($"value = {activated};");
            }
        }
    }

    /// <summary>
    /// The input values vector <paramref name="k"/> of period <paramref name="set"/> multiplies, lane by lane the input of
    /// the kernel row its float belongs to: a broadcast when the vector lies within one row; when it spans rows, a
    /// shuffle of the step's input vector (one instruction) or, where the inputs do not fill a vector, broadcasts
    /// blended with constant masks.
    /// </summary>
    private string PeriodInputs(string vector, int k, int width, int set, int rows, bool oneLoad)
    {
        int first = k * width / Units, last = (k * width + width - 1) / Units;
        string Input(int row) => $"{vector}.Create({Types.Unsafe}.Add(ref input, {Code.Plus("i", set * rows + row)}))";
        if (first == last) return Input(first);
        if (oneLoad)
        {
            var indices = Enumerable.Range(0, width).Select(j => Code.Int(set * rows + (k * width + j) / Units));
            return $"{vector}.Shuffle(x, {vector}.Create({string.Join(", ", indices)}))";
        }
        string value = Input(first);
        for (int r = first + 1; r <= last; r++)
        {
            // Lanes from the first float of row r on take row r's input.
            int from = r * Units - k * width;
            var lanes = Enumerable.Range(0, width).Select(j => j >= from ? "-1" : "0");
            string mask = $"{vector}.AsSingle({vector}.Create({string.Join(", ", lanes)}))";
            value = $"{vector}.ConditionalSelect({mask}, {Input(r)}, {value})";
        }
        return value;
    }
}
