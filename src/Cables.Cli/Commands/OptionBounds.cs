using System.CommandLine;

namespace Cables.Cli.Commands;

/// <summary>Lower bounds of whole-number options, refused at parse time with the option's name.</summary>
public static class OptionBounds
{
    /// <summary>Refuses a value below <paramref name="minimum"/>: "<c>--name must be {requirement}</c>".</summary>
    public static Option<int> AtLeast(this Option<int> option, int minimum, string requirement)
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < minimum)
            {
                r.AddError($"{option.Name} must be {requirement}");
            }
        });
        return option;
    }
}
