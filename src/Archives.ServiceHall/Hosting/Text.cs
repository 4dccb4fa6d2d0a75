using System.Globalization;

namespace Archives.ServiceHall.Hosting;

/// <summary>
/// The hall's two languages side by side: <c>T("查询", "Search")</c> gives the text of the request's UI culture
/// (RequestLocalization: Chinese unless the clerk switched). Both texts stay beside the markup that shows them,
/// so a reader from the archives sees what the clerk reads and no resource file drifts out of step; a third
/// language would move them into .resx files.
/// </summary>
internal static class Text
{
    public static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string T(string chinese, string english) => English ? english : chinese;
}
