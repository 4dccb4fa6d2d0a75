using Archives.Contracts;

namespace Archives.Node.Seeding;

/// <summary>Plausible Chinese personal names: common surnames by weight, given names of one or two characters.</summary>
internal static class ChineseNames
{
    // Surnames with rough weights (per mille of the population, rounded; eastern China leans to 陈, 王, 张, 李, 吴, 徐, 周).
    private static readonly (string Surname, int Weight)[] Surnames =
    [
        ("王", 72), ("李", 70), ("张", 68), ("陈", 66), ("刘", 54), ("杨", 31), ("黄", 22), ("吴", 24), ("赵", 20),
        ("周", 20), ("徐", 20), ("孙", 15), ("朱", 14), ("马", 12), ("胡", 13), ("郭", 11), ("林", 12), ("何", 10),
        ("高", 10), ("沈", 10), ("金", 9), ("钱", 6), ("郑", 9), ("罗", 7), ("梁", 6), ("谢", 7), ("宋", 6),
        ("唐", 6), ("许", 7), ("韩", 5), ("冯", 5), ("邓", 5), ("曹", 5), ("彭", 4), ("曾", 4), ("蒋", 6),
        ("蔡", 5), ("陆", 6), ("叶", 6), ("方", 5), ("汪", 5), ("潘", 5), ("姚", 4), ("顾", 4), ("俞", 4),
        ("戴", 3), ("夏", 3), ("钟", 3), ("傅", 3), ("丁", 3), ("任", 3), ("严", 3), ("杜", 3), ("程", 3),
        ("袁", 3), ("魏", 3), ("吕", 3), ("范", 3), ("邵", 3), ("毛", 3), ("章", 3), ("楼", 2), ("应", 2),
        ("诸葛", 1), ("欧阳", 1), ("司马", 1),
    ];

    private const string MaleCharacters = "建国军明伟强磊勇涛华平峰斌杰刚志海文龙林宏俊鹏飞波超东亮辉庆祥福德兴荣根宝正忠民卫新春永金水";
    private const string FemaleCharacters = "丽华英秀芳敏静燕霞玲红梅兰娟萍琴洁颖雪艳婷慧珍凤彩云月琳倩莉娜芬素美玉桂晓";
    private const string EraCharacters = "建国卫东红兵援朝跃进抗美向阳胜利";

    private static readonly int SurnameTotal = Surnames.Sum(s => s.Weight);

    public static string Next(Random random, Sex sex, int birthYear)
    {
        var surname = PickSurname(random);
        var pool = sex == Sex.Male ? MaleCharacters : FemaleCharacters;
        // Names of the 1950s–70s often carry the slogans of their time (建国, 卫东, 援朝).
        if (birthYear is >= 1949 and <= 1976 && random.Next(8) == 0)
        {
            var start = random.Next(EraCharacters.Length / 2) * 2;
            return surname + EraCharacters.Substring(start, 2);
        }

        var givenLength = random.Next(100) < 72 ? 2 : 1;
        var given = pool[random.Next(pool.Length)].ToString();
        if (givenLength == 2)
        {
            given += pool[random.Next(pool.Length)];
        }

        return surname + given;
    }

    private static string PickSurname(Random random)
    {
        var roll = random.Next(SurnameTotal);
        foreach (var (surname, weight) in Surnames)
        {
            if (roll < weight)
            {
                return surname;
            }

            roll -= weight;
        }

        return Surnames[0].Surname;
    }
}
