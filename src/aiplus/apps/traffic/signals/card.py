"""What the traffic App joins from the signals package: model cards and jobs."""

from aiplus.apps.traffic.signals.jobs import run_job
from aiplus.core.i18n import Bilingual
from aiplus.platform.registry import ModelCard

OWNER = "AI Plus platform team (traffic signals)"

MODELS = (
    ModelCard(
        name="traffic-signal-dqn", version="2",
        title=Bilingual("Learned signal policy (DQN from demonstrations)",
                        "學習型交通燈策略（示範引導的 DQN）"),
        intended_use=Bilingual(
            "Chooses the next green stage at a signalised junction in simulation, always "
            "through the safety wrapper (minimum green, amber, all-red, pedestrian clearance).",
            "在模擬中為有交通燈的路口選擇下一個綠燈階段，並一律經安全層執行（最短綠燈、黃燈、全紅及行人清場）。"),
        out_of_scope=Bilingual("Driving real signals without an engineer's approval.",
                               "未經工程師批准下操控真實交通燈。"),
        data=Bilingual(
            "One stage-scoring network shared by every stage and junction; trained in SUMO on "
            "the shipped corridor and 2x2 grid at demand scales 0.6-1.4 with double DQN plus a "
            "margin loss towards the look-ahead controller's choices; checkpoint chosen on "
            "held-out demand draws of the same networks, never on the benchmark maps.",
            "每個階段及路口共用同一個階段評分網絡；以 SUMO 在隨附的走廊及 2x2 網格路網、需求比例 0.6 至 "
            "1.4 下，用雙 DQN 加上趨向前瞻控制器選擇的間隔損失訓練；以同一路網的保留需求樣本選定檢查點，"
            "從不使用基準測試路網。"),
        limits=Bilingual(
            "Trained on two small networks; on some unseen maps it is worse than max-pressure "
            "or fixed time (see the benchmark), where the look-ahead controller is safer.",
            "只在兩個小型路網上訓練；在部分未見過的路網上比最大壓力或定時控制差（見基準測試），"
            "該等路網以前瞻控制器較為可靠。"),
        owner=OWNER, licence="BSD-3-Clause (PyTorch); EPL-2.0 (SUMO, run as a program)",
        source="torch 2.13.0 CPU; eclipse-sumo 1.28.0"),
    ModelCard(
        name="pedestrian-waiting-classifier", version="1",
        title=Bilingual("Waiting-pedestrian classifier", "等候過路行人分類器"),
        intended_use=Bilingual(
            "Tells people waiting to cross from people passing by, from their tracked "
            "positions, so walk signals are given only when someone is waiting.",
            "根據追蹤位置分辨等候過路與路過的行人，只在有人等候時才亮起行人綠燈。"),
        out_of_scope=Bilingual("Identifying or following individuals.", "識別或跟蹤個別人士。"),
        data=Bilingual(
            "Logistic regression on dwell time, speed, stillness, distance and heading; "
            "trained and evaluated on simulated pedestrians (ground truth: did they cross).",
            "以停留時間、速度、靜止時間、距離及方向訓練的邏輯迴歸；以模擬行人訓練及評估（真值：是否過路）。"),
        limits=Bilingual(
            "Simulated trajectories are cleaner than camera tracks; people who wait then "
            "walk away count as waiting.",
            "模擬軌跡比攝影機追蹤更整齊；等候後離開的人會被視為等候。"),
        owner=OWNER, licence="BSD-3-Clause (scikit-learn)", source="scikit-learn"),
)

JOBS = (run_job,)
