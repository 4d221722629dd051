using System.Globalization;
using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>The strftime directives templates use to print today's date (English month and day names).</summary>
internal static class Strftime
{
    public static string Format(DateTimeOffset time, string format)
    {
        var culture = CultureInfo.InvariantCulture;
        var output = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                output.Append(format[i]);
                continue;
            }

            var directive = format[++i];
            output.Append(directive switch
            {
                'Y' => time.Year.ToString(culture),
                'y' => (time.Year % 100).ToString("00", culture),
                'm' => time.Month.ToString("00", culture),
                'd' => time.Day.ToString("00", culture),
                'e' => time.Day.ToString(culture).PadLeft(2),
                'H' => time.Hour.ToString("00", culture),
                'I' => (((time.Hour + 11) % 12) + 1).ToString("00", culture),
                'M' => time.Minute.ToString("00", culture),
                'S' => time.Second.ToString("00", culture),
                'p' => time.Hour < 12 ? "AM" : "PM",
                'j' => time.DayOfYear.ToString("000", culture),
                'b' => culture.DateTimeFormat.GetAbbreviatedMonthName(time.Month),
                'B' => culture.DateTimeFormat.GetMonthName(time.Month),
                'a' => culture.DateTimeFormat.GetAbbreviatedDayName(time.DayOfWeek),
                'A' => culture.DateTimeFormat.GetDayName(time.DayOfWeek),
                '%' => "%",
                _ => "%" + directive,
            });
        }

        return output.ToString();
    }
}
