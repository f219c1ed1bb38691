"""智能问答: questions in a citizen's words land on the right catalogue item, and off-topic text on help."""

from __future__ import annotations

import pytest

from channels.sms.templates import MAX_VARIABLE, VARIABLES, template_values
from infra.bench.answer_figures import accuracy, off_topic_answered, question_set
from shared.approval.builtin import BuiltinApprovalBackend
from shared.contract.records import CatalogueItem
from shared.services.answers import CONFIDENT, AnswerService


@pytest.fixture(scope="module")
def answers() -> AnswerService:
    return AnswerService(BuiltinApprovalBackend())


def _best(answers: AnswerService, question: str) -> str:
    found = answers.matches(question)
    assert found, question
    return found[0].item.code


@pytest.mark.parametrize(("question", "code"), [
    ("孩子刚出生怎么上户口", "C-GA-004"),      # 上户 → 户口, 入户
    ("开小卖部要办什么证", "C-SCJG-001"),      # 小卖部 → 个体工商户
    ("驾照快过期了", "C-GA-002"),             # 驾照 → 驾驶证
    ("身份证丢了咋整", "C-GA-003"),
    ("想把户口落到老公家", "C-GA-005"),        # 落户 → 户口迁移
    ("我妈今年85了，有没有高龄补贴", "V-BM-001"),
    ("在广东打工，看病想直接用老家医保结算", "C-YB-002"),
    ("老人走了，丧葬费找谁领", "C-RS-002"),
])
def test_a_colloquial_question_lands_on_the_item_a_county_would_give(answers: AnswerService, question: str,
                                                                     code: str) -> None:
    assert _best(answers, question) == code


def test_materials_and_descriptions_are_searched_not_only_names(answers: AnswerService) -> None:
    assert _best(answers, "经营场所平面图和设备布局图要画吗") == "C-SCJG-002"  # a material only
    assert _best(answers, "摆摊做生意") == "C-SCJG-001"  # the description's words


def test_an_english_question_is_answered_from_the_english_names(answers: AnswerService) -> None:
    (best, *_) = answers.matches("I lost my ID card, how do I get a new one?")
    assert best.item.code == "C-GA-003" and best.name == "Replacing a lost resident ID card"
    assert best.text.startswith("Replacing a lost resident ID card (居民身份证挂失补领")


@pytest.mark.parametrize("question", ["你好", "今天天气怎么样", "我想吃火锅", "asdf", "what's the weather", "哈哈哈"])
def test_an_off_topic_question_gets_no_item(answers: AnswerService, question: str) -> None:
    assert answers.answer_list(question).answers == []


def test_the_answer_says_what_to_bring_where_and_how_long(answers: AnswerService) -> None:
    (best, *_) = answers.answer_list("孩子刚出生怎么上户口").answers
    assert best.item_code == "C-GA-004" and best.name == "出生登记（新生儿入户）" and 0.5 <= best.score <= 1
    for part in ("出生医学证明", "户口簿", "县政务服务中心二楼 B02 户政窗口", "承诺1个工作日办结", "免费"):
        assert part in best.text


def test_at_most_five_answers_best_first(answers: AnswerService) -> None:
    listed = answers.answer_list("残疾人补贴怎么申请").answers
    assert 1 < len(listed) <= 5 and [a.score for a in listed] == sorted((a.score for a in listed), reverse=True)


def test_the_chat_answer_names_the_item_and_how_to_apply_then_points_at_help(answers: AnswerService) -> None:
    text = answers.reply("开小卖部要办什么证", sms=False).text
    assert text.startswith("您要办的可能是:\n个体工商户设立登记（县市场监督管理局）：请带居民身份证原件")
    assert "在线申办" in text and text.endswith("发送“帮助”查看其他功能。")


def test_a_close_runner_up_gets_its_own_line_on_chat(answers: AnswerService) -> None:
    text = answers.reply("在县城买了房，想把户口迁过来", sms=False).text
    assert text.startswith("您要办的可能是:\n户口迁移") and "也可能是:\n新建商品房转移登记" in text
    assert "也可能是" not in answers.reply("孩子刚出生怎么上户口", sms=False).text


def test_an_off_topic_chat_message_is_told_so_and_gets_the_help_text(answers: AnswerService) -> None:
    reply = answers.reply("今天天气怎么样", sms=False)
    assert reply.text.startswith("抱歉,没有找到与您的问题相符的事项") and "进度 编号" in reply.text
    assert answers.reply("what's the weather like", sms=False).text.startswith("Sorry, no service matches")


def test_the_sms_answer_fits_its_approved_template(answers: AnswerService) -> None:
    reply = answers.reply("食品经营许可证要带什么材料", sms=True)
    assert reply.key == "answer_sms" and reply.values["item_name"] == "食品经营许可证核发"
    values = template_values(f"reply_{reply.key}", reply.values)
    assert set(values) == set(VARIABLES["reply_answer_sms"]) and all(1 <= len(v) <= MAX_VARIABLE
                                                                      for v in values.values())
    assert answers.reply("哈哈哈", sms=True).key == "not_understood_sms"


class _CountingCatalogue(BuiltinApprovalBackend):
    reads = 0

    def catalogue(self) -> list[CatalogueItem]:
        self.reads += 1
        return super().catalogue()


def test_the_index_is_built_on_the_first_question_once_not_at_cold_start() -> None:
    approval = _CountingCatalogue()
    service = AnswerService(approval)
    assert approval.reads == 0
    service.matches("低保")
    service.matches("医保")
    assert approval.reads == 1


def test_the_question_set_meets_the_issues_targets(answers: AnswerService) -> None:
    rows = question_set("questions.jsonl")
    a = accuracy(answers, rows)
    assert a.top1 >= 0.80 * a.questions and a.top3 >= 0.95 * a.questions, a
    assert off_topic_answered(answers)[0] == 0


def test_the_question_sets_are_large_name_real_items_and_do_not_copy_names() -> None:
    catalogue = {i.code: i for i in BuiltinApprovalBackend().catalogue()}
    main, held_out = question_set("questions.jsonl"), question_set("held_out.jsonl")
    assert len(main) >= 150 and len({q for q, _ in main}) == len(main)
    assert not {q for q, _ in main} & {q for q, _ in held_out}
    for question, codes in main + held_out:
        assert codes and codes <= set(catalogue), question
        assert not any(catalogue[c].name in question for c in codes if len(catalogue[c].name) > 4), question
    assert {c for _, codes in main for c in codes} == set(catalogue)  # every item is asked for at least once
    assert sum(q.isascii() for q, _ in main) >= 15  # English questions too


def test_confidence_rises_with_the_raw_score(answers: AnswerService) -> None:
    scores = [m.score for m in answers.matches("身份证丢了", floor=0.0)]
    assert scores == sorted(scores, reverse=True) and scores[0] >= CONFIDENT


class _EmptyCatalogue(BuiltinApprovalBackend):
    def catalogue(self) -> list[CatalogueItem]:
        return []


def test_a_county_without_a_catalogue_answers_nothing_rather_than_failing() -> None:
    service = AnswerService(_EmptyCatalogue())
    assert service.answer_list("身份证丢了").answers == []
    assert service.reply("身份证丢了", sms=False).key == "not_understood"


def test_the_sms_answer_lists_whole_materials_within_the_variable_limit(answers: AnswerService) -> None:
    reply = answers.reply("户口迁移要带什么", sms=True)
    materials = reply.values["materials"]
    assert len(materials) <= MAX_VARIABLE and materials.endswith("等") and "（" not in materials[-3:]
    item = BuiltinApprovalBackend().item(reply.values["item_name"] and "C-GA-005")
    assert item is not None and all(m in item.materials for m in materials.removesuffix("等").split("、"))


def test_full_width_letters_are_an_english_question(answers: AnswerService) -> None:
    (best, *_) = answers.matches("ｈｏｗ ｄｏ ｉ ｒｅｇｉｓｔｅｒ ｍｙ ｎｅｗｂｏｒｎ")
    assert best.english and best.item.code == "C-GA-004"
