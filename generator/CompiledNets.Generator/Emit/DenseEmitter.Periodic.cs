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
    /// <summary>Most vectors per period for which the layout is worth unrolling (a pair of samples holds a set of sums each).</summary>
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

    /// <summary>
    /// True when the forward pass has a kernel for two samples at once (<c>ForwardPair</c>): the periodic layout on some
    /// path. Inference over many samples then reads the kernel once per pair.
    /// </summary>
    public bool HasForwardPair => _dense.UsesTransposedKernel && (PeriodRows(SimdPath.Vector256) > 0 || PeriodRows(SimdPath.Vector512) > 0);

    /// <summary>
    /// The periodic forward pass of <paramref name="samples"/> consecutive samples (1 or 2). Each sample has one sum
    /// per vector of the period, taking the periods in input order whatever the sample count, so a sample's outputs
    /// have the same bits alone (Predict) as in a pair (PredictBatch). A pair loads each kernel vector once for both.
    /// </summary>
    private void EmitForwardPeriodic(SourceWriter w, SimdPath path, int rows, int samples)
    {
        string n = Name, vector = path.Whole.Class, type = path.Whole.Type;
        int width = path.Width, vectors = rows * Units / width, step = 2 * rows;
        string Acc(int k, int sample) => samples == 1 ? $"acc{k}" : $"acc{k}_{sample}";
        string InputOf(int sample) => sample == 0 ? "input" : $"{Types.Unsafe}.Add(ref input, {Code.Int(sample * Inputs)})";
        string OutputOf(int sample) => sample == 0 ? "output" : $"{Types.Unsafe}.Add(ref output, {Code.Int(sample * Units)})";
        w.Line($"ref float kernel = ref {Types.Unsafe}.Add(ref parameters, {n}KernelOffset);");
        w.Line($"ref float bias = ref {Types.Unsafe}.Add(ref parameters, {n}BiasOffset);");
        w.Line($"// Every {rows} kernel rows ({rows * Units} floats) the units line up with the vectors again: {vectors} vectors per period, two periods per step.");
        for (int sample = 0; sample < samples; sample++)
            for (int k = 0; k < vectors; k++)
                w.Line($"var {Acc(k, sample)} = {type}.Zero;");
        int end = Inputs / step * step;
        w.Line("nint i = 0; // nint: the JIT folds \"i + a constant\" into the addresses");
        using (w.Block($"for (; i < {Code.Int(end)}; i += {Code.Int(step)})"))
        {
            w.Line($"ref float rows = ref {Types.Unsafe}.Add(ref kernel, i * {n}Units);");
            // The step's inputs in one vector when they fill it exactly (units with a factor 2 in common with the width).
            bool oneLoad = 2 * rows == width;
            if (oneLoad)
                for (int sample = 0; sample < samples; sample++)
                    w.Line($"var x{(samples == 1 ? "" : sample)} = {vector}.LoadUnsafe(ref input, (nuint)({Code.Plus("i", sample * Inputs)}));");
            for (int set = 0; set < 2; set++)
            {
                for (int k = 0; k < vectors; k++)
                {
                    string weights = $"{vector}.LoadUnsafe(ref rows, {Code.Int(set * rows * Units + k * width)})";
                    if (samples > 1)
                    {
                        w.Line($"var w{k}_{set} = {weights};");
                        weights = $"w{k}_{set}";
                    }
                    for (int sample = 0; sample < samples; sample++)
                    {
                        string inputs = PeriodInputs(vector, k, width, set, rows, oneLoad, sample * Inputs, samples == 1 ? "x" : $"x{sample}");
                        w.Line($"{Acc(k, sample)} = {Types.VectorMath}.MultiplyAdd({weights}, {inputs}, {Acc(k, sample)});");
                    }
                }
            }
        }
        for (int sample = 0; sample < samples; sample++)
        {
            using var _ = samples == 1 ? null : w.Block($"// sample {sample}");
            if (sample > 0)
            {
                // The sample's input is read again only for rows left over after the last whole step.
                if (end < Inputs) w.Line($"ref float input{sample} = ref {InputOf(sample)};");
                w.Line($"ref float output{sample} = ref {OutputOf(sample)};");
            }
            string x = sample == 0 ? "input" : $"input{sample}", y = sample == 0 ? "output" : $"output{sample}";
            using (w.Block($"for (int unit = 0; unit < {n}Units; unit++)"))
                w.Line($"{Types.Unsafe}.Add(ref {y}, unit) = {Types.Unsafe}.Add(ref bias, unit);");
            w.Line($"// Each lane to its unit: lane j of vector k holds float k * {Code.Int(width)} + j of the period.");
            for (int k = 0; k < vectors; k++)
            {
                string floatIndex = k == 0 ? "lane" : $"({Code.Plus("lane", k * width)})";
                using (w.Block($"for (int lane = 0; lane < {Code.Int(width)}; lane++)"))
                    w.Line($"{Types.Unsafe}.Add(ref {y}, {floatIndex} % {n}Units) += {vector}.GetElement({Acc(k, sample)}, lane);");
            }
            if (end < Inputs)
            {
                using (w.Block($"for (nint r = i; r < {n}Inputs; r++) // the rows left over"))
                using (w.Block($"for (int unit = 0; unit < {n}Units; unit++)"))
                    w.Line($"{Types.Unsafe}.Add(ref {y}, unit) += {Types.Unsafe}.Add(ref {x}, r) * {Types.Unsafe}.Add(ref kernel, r * {n}Units + unit);");
            }
            string activated = Activate("value");
            if (activated != "value")
            {
                using (w.Block($"for (int unit = 0; unit < {n}Units; unit++)"))
                {
                    w.Line($"ref float value = ref {Types.Unsafe}.Add(ref {y}, unit);");
                    w.Line($"value = {activated};");
                }
            }
        }
    }

    /// <summary>The pair kernel where the periodic layout does not apply: the one-sample kernel, twice.</summary>
    private void EmitForwardPairBySample(SourceWriter w, string suffix)
    {
        w.Line($"{Name}Forward{suffix}(ref input, ref parameters, ref output);");
        w.Line($"{Name}Forward{suffix}(ref {Types.Unsafe}.Add(ref input, {Name}Inputs), ref parameters, ref {Types.Unsafe}.Add(ref output, {Name}Units));");
    }

    /// <summary>
    /// The input values vector <paramref name="k"/> of period <paramref name="set"/> multiplies, lane by lane the input of
    /// the kernel row its float belongs to: a broadcast when the vector lies within one row; when it spans rows, a
    /// shuffle of the step's input vector (one instruction) or, where the inputs do not fill a vector, broadcasts
    /// blended with constant masks.
    /// </summary>
    private string PeriodInputs(string vector, int k, int width, int set, int rows, bool oneLoad, int sampleOffset, string stepInputs)
    {
        int first = k * width / Units, last = (k * width + width - 1) / Units;
        string Input(int row) => $"{vector}.Create({Types.Unsafe}.Add(ref input, {Code.Plus("i", sampleOffset + set * rows + row)}))";
        if (first == last) return Input(first);
        if (oneLoad)
        {
            var indices = Enumerable.Range(0, width).Select(j => Code.Int(set * rows + (k * width + j) / Units));
            return $"{vector}.Shuffle({stepInputs}, {vector}.Create({string.Join(", ", indices)}))";
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
