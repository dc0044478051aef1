package com.rackflow.customers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** 查重: the ways people (and copy-paste) write one company or one phone number, and names that only look alike. */
class DuplicateKeysTest {

    /** A variant as entered | the canonical form it must be matched with. Escapes: \\u200B etc. are decoded below. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            // suffixes in any order and combination
            "上海云立方数据科技有限公司 | 上海云立方数据科技",
            "上海云立方数据科技股份有限公司 | 上海云立方数据科技",
            "上海云立方数据科技有限责任公司 | 上海云立方数据科技",
            "上海云立方数据科技集团有限公司 | 上海云立方数据科技",
            "上海云立方数据科技集团股份有限公司 | 上海云立方数据科技",
            "上海云立方数据科技集团 | 上海云立方数据科技",
            "上海云立方数据科技公司 | 上海云立方数据科技",
            "上海云立方数据科技股份公司 | 上海云立方数据科技",
            "上海云立方数据科技集团公司 | 上海云立方数据科技",
            "上海云立方数据科技有限公司集团 | 上海云立方数据科技",
            "上海云立方数据科技有限公司（集团） | 上海云立方数据科技",
            "上海云立方数据科技（集团）有限公司 | 上海云立方数据科技",
            "上海云立方数据科技（集团）股份有限公司 | 上海云立方数据科技",
            "上海云立方数据科技(集团)有限公司 | 上海云立方数据科技",
            "上海云立方数据科技【集团】有限公司 | 上海云立方数据科技",
            "上海云立方数据科技［控股］有限公司 | 上海云立方数据科技",
            "上海云立方数据科技（控股集团）有限公司 | 上海云立方数据科技",
            "上海云立方数据科技（股份）有限公司 | 上海云立方数据科技",
            "上海云立方数据科技有限責任公司 | 上海云立方数据科技",
            "上海云立方数据科技集團有限公司 | 上海云立方数据科技",
            // invisible characters: zero-width space / joiner / non-joiner, soft hyphen, BOM, word joiner, bidi marks
            "上海云立方\\u200B数据科技有限公司 | 上海云立方数据科技",
            "上海云立方\\u200D数据科技有限公司 | 上海云立方数据科技",
            "上海\\u200C云立方数据科技有限公司 | 上海云立方数据科技",
            "上海云立方数据\\u00AD科技有限公司 | 上海云立方数据科技",
            "\\uFEFF上海云立方数据科技有限公司 | 上海云立方数据科技",
            "上海云立方数据科技\\u2060有限公司 | 上海云立方数据科技",
            "\\u200E上海云立方数据科技有限公司\\u200F | 上海云立方数据科技",
            "上海云立方数据科技有\\u200B限公司 | 上海云立方数据科技",
            "上海云立方数据科技\\uFE0F有限公司 | 上海云立方数据科技",
            "上海云立方数据科技\\u0007有限公司 | 上海云立方数据科技",
            // spaces, width, punctuation
            "上海 云立方 数据科技 有限公司 | 上海云立方数据科技",
            "上海　云立方　数据科技有限公司 | 上海云立方数据科技",
            "上海·云立方·数据科技有限公司 | 上海云立方数据科技",
            "“上海云立方数据科技”有限公司 | 上海云立方数据科技",
            "上海云立方数据科技有限公司。 | 上海云立方数据科技",
            // Latin names
            "ABC Data Co., Ltd. | abcdata",
            "ＡＢＣ　Ｄａｔａ　Ｃｏ．，Ｌｔｄ． | abcdata",
            "abc data limited | abcdata",
            "ABC-Data Inc. | abcdata",
            "ABC Data Corporation | abcdata",
            "ABC Data Holdings Limited | abcdata",
            "ABC Data (Group) Co., Ltd. | abcdata",
            "ABC Data Group Ltd | abcdata",
            "ABC\\u200BData Co Ltd | abcdata",
            "abc data LLC | abcdata",
            "ABC Data Pte. Ltd. | abcdata",
            "Acme Corporation | acme",
            // nothing left after the suffixes: the name itself stays
            "公司 | 公司",
            "集团有限公司 | 集团"})
    void variantsMatchTheirCanonicalForm(String raw, String canonical) {
        assertThat(DuplicateKeys.companyName(unescape(raw))).isEqualTo(canonical);
        assertThat(DuplicateKeys.companyName(unescape(raw))).isEqualTo(DuplicateKeys.companyName(canonical));
    }

    /** Names that look alike but are other companies: they must not share a key. */
    @ParameterizedTest(name = "{0} ≠ {1}")
    @CsvSource(delimiter = '|', value = {
            "上海云立方数据科技有限公司 | 上海云立方数据有限公司",
            "上海云立方数据科技有限公司 | 北京云立方数据科技有限公司",
            "上海云立方数据科技有限公司 | 上海云立方数据科技有限公司北京分公司",
            "华为技术（中国）有限公司 | 华为技术有限公司",
            "上海云立方数据科技控股有限公司 | 上海云立方数据科技有限公司",
            "云立方一号数据中心有限公司 | 云立方二号数据中心有限公司",
            "中科云有限公司 | 中科云计算有限公司",
            "Disco Ltd | Dis Co",
            "Acme Inc | Acme Industries Inc",
            "ABC Data Co Ltd | ABC Date Co Ltd",
            "Cologix Ltd | Logix Ltd",
            "Limited Edition Data Ltd | Edition Data Ltd"})
    void nearMissesDoNotMatch(String a, String b) {
        assertThat(DuplicateKeys.companyName(a)).isNotEqualTo(DuplicateKeys.companyName(b));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "13900000001 | 13900000001 | 13900000001",
            "139 0000 0001 | 13900000001 | 13900000001",
            "139-0000-0001 | 13900000001 | 13900000001",
            "+86 139 0000 0001 | 13900000001 | 13900000001",
            "+86-139-0000-0001 | 13900000001 | 13900000001",
            "0086 13900000001 | 13900000001 | 13900000001",
            "86 139 0000 0001 | 13900000001 | 13900000001",
            "8613900000001 | 13900000001 | 13900000001",
            "(+86) 139.0000.0001 | 13900000001 | 13900000001",
            "１３９　００００　０００１ | 13900000001 | 13900000001",
            "(021) 6123-4567 | 021-61234567 | 02161234567",
            "021-61234567 | 021-61234567 | 02161234567",
            "021 6123 4567 | 021-61234567 | 02161234567",
            "02161234567 | 021-61234567 | 02161234567",
            "+86 21 6123 4567 | 021-61234567 | 02161234567",
            "+86 (21) 61234567 | 021-61234567 | 02161234567",
            "0755-8888 6666 | 0755-88886666 | 075588886666",
            "(0571) 8765432 | 0571-8765432 | 05718765432",
            "010 6234 5678 | 010-62345678 | 01062345678",
            "021-61234567-8001 | 021-61234567-8001 | 02161234567",
            "021-61234567 转 8001 | 021-61234567-8001 | 02161234567",
            "021 6123 4567 ext. 12 | 021-61234567-12 | 02161234567",
            "400-820-8820 | 400-820-8820 | 4008208820",
            "400 820 8820 | 400-820-8820 | 4008208820"})
    void phonesAsPeopleWriteThem(String raw, String canonical, String key) {
        var parsed = PhoneNumber.parse(raw);
        if (canonical == null) {
            assertThat(parsed).isEmpty();
            return;
        }
        assertThat(parsed).hasValueSatisfying(p -> {
            assertThat(p.canonical()).isEqualTo(canonical);
            assertThat(p.key()).isEqualTo(key);
        });
        assertThat(DuplicateKeys.phone(raw)).isEqualTo(key);
    }

    @Test
    void notPhoneNumbersAreRefused() {
        for (String bad : new String[]{"12", "1390000000", "139000000012", "12900000001", "+1 415 555 0100",
                "021-123", "abc", "139 0000 0001 转 1", "0000-12345678", "+86+139", "13900000001\u0000"}) {
            assertThat(PhoneNumber.parse(bad)).as(bad).isEmpty();
        }
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.startsWith("\\u", i)) {
                out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }
}
