using Cables.Parsing.Origins;

namespace Cables.Parsing.Tests;

/// <summary>FM lines of the corpus and the archive's origin labels for them (corpus/truth.jsonl).</summary>
public sealed class OriginTests
{
    [Theory]
    [InlineData("embassy brussels", "Embassy Brussels")]
    [InlineData("CONSULATE HO CHI MINH CITY", "Consulate Ho Chi Minh City")]
    [InlineData("secretary of state", "Secretary of State")]
    [InlineData("mission usnato", "Mission USNATO")]
    [InlineData("american institute taiwan, taipei", "American Institute Taiwan, Taipei")]
    [InlineData("Embassy Brussels", "Embassy Brussels")]
    [InlineData("Some Other Label", "Some Other Label")]
    public void A_label_in_any_case_becomes_the_archive_spelling(string label, string expected) =>
        Assert.Equal(expected, OriginPosts.ArchiveLabel(label));

    [Theory]
    [InlineData("AMEMBASSY BRUSSELS", "Embassy Brussels")]
    [InlineData("AMEMBASSY ADDIS ABABA", "Embassy Addis Ababa")]
    [InlineData("AMEMBASSY BANDAR SERI BEGAWAN", "Embassy Bandar Seri Begawan")]
    [InlineData("AMEMBASSY PORT AU PRINCE", "Embassy Port Au Prince")]
    [InlineData("AMEMBASSY THE HAGUE", "Embassy The Hague")]
    [InlineData("AMCONSUL HO CHI MINH CITY", "Consulate Ho Chi Minh City")]
    [InlineData("AMCONSUL RIO DE JANEIRO", "Consulate Rio De Janeiro")]
    [InlineData("AMCONSUL FLORENCE", "Consulate Florence")]
    [InlineData("SECSTATE WASHDC", "Secretary of State")]
    [InlineData("USMISSION USNATO", "Mission USNATO")]
    [InlineData("USMISSION USUN NEW YORK", "USUN New York")]
    [InlineData("USMISSION UNVIE VIENNA", "UNVIE")]
    [InlineData("USMISSION GENEVA", "US Mission Geneva")]
    [InlineData("USEU BRUSSELS", "USEU Brussels")]
    [InlineData("AIT TAIPEI", "American Institute Taiwan, Taipei")]
    [InlineData("USINT HAVANA", "US Interests Section Havana")]
    [InlineData("RPO DUBAI", "Iran RPO Dubai")]
    [InlineData("IRAN RPO DUBAI", "Iran RPO Dubai")]
    [InlineData("USOFFICE ALMATY", "US Office Almaty")]
    [InlineData("AMCONSUL ZAGREB", "Embassy Zagreb")]
    [InlineData("AMCONSUL LENINGRAD", "Consulate St Petersburg")]
    [InlineData("AMEMBASSY LAGOS", "Consulate Lagos")]
    [InlineData("USOFFICE BERLIN", "Embassy Berlin")]
    [InlineData("  AMEMBASSY   NEW  DELHI ", "Embassy New Delhi")]
    public void From_the_FM_line(string plad, string label) => Assert.Equal(label, OriginPosts.FromPlad(plad));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Lavrov said that")]
    [InlineData("NSC WASHDC")]
    public void No_post_gives_null(string? plad) => Assert.Null(OriginPosts.FromPlad(plad));

    [Theory]
    [InlineData("BRUSSELS", "Embassy Brussels")]
    [InlineData("HO CHI MINH CITY", "Consulate Ho Chi Minh City")]
    [InlineData("ADANA", "Consulate Adana")]
    [InlineData("STATE", "Secretary of State")]
    [InlineData("USNATO", "Mission USNATO")]
    [InlineData("TAIPEI", "American Institute Taiwan, Taipei")]
    [InlineData("HAVANA", "US Interests Section Havana")]
    [InlineData("RPO DUBAI", "Iran RPO Dubai")]
    [InlineData("SAO PAULO", "Consulate Sao Paulo")]
    public void From_the_banner_city_when_the_header_is_lost(string city, string label) => Assert.Equal(label, OriginPosts.FromBannerCity(city));

    [Theory]
    [InlineData("AMEMBASSY BUENOS AIRES", "BUENOSAIRES")]
    [InlineData("SECSTATE WASHDC", "STATE")]
    [InlineData("USMISSION USNATO", "USNATO")]
    [InlineData("AMCONSUL HO CHI MINH CITY", "HOCHIMINHCITY")]
    public void Id_city_from_the_FM_line(string plad, string city) => Assert.Equal(city, OriginPosts.IdCityFromPlad(plad));
}
