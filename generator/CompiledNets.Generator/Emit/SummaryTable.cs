using System.Collections.Generic;
using System.Globalization;
using CompiledNets.Generator.Planning;

namespace CompiledNets.Generator.Emit;

/// <summary>The Keras-like <c>model.summary()</c> table of a plan, used for <c>Summary</c> and the file header.</summary>
internal static class SummaryTable
{
    public static IReadOnlyList<string> Lines(NetworkPlan plan)
    {
        const string rule = "_________________________________________________________________";
        const string doubleRule = "=================================================================";
        var lines = new List<string>
        {
            $"Model: \"{plan.ClassName}\"",
            rule,
            Row("Layer (type)", "Output Shape", "Param #"),
            doubleRule,
        };
        foreach (var layer in plan.Layers)
        {
            string shape = "(None, " + layer.Output.ToString().Substring(1);
            lines.Add(Row($"{layer.Name.ToLowerInvariant()} ({layer.KerasType})", shape, Number(layer.ParameterCount)));
        }
        lines.Add(doubleRule);
        lines.Add($"Total params: {Number(plan.ParameterCount)}");
        lines.Add($"Trainable params: {Number(plan.ParameterCount)}");
        lines.Add("Non-trainable params: 0");
        lines.Add(rule);
        return lines;
    }

    private static string Row(string layer, string shape, string parameters) =>
        " " + layer.PadRight(28) + shape.PadRight(26) + parameters;

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
